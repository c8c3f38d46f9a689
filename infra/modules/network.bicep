// Closed-network deployment (publicNetworkAccess = 'Disabled'): what the bot needs to start and run
// when Table storage, Key Vault, Azure OpenAI and monitoring accept no traffic from the internet.
//
//   VNet            snet-app: App Service VNet integration (delegated to Microsoft.Web/serverFarms);
//                   snet-pe:  private endpoints
//   private DNS     one privatelink zone per service, linked to the VNet, so the usual host names
//                   (…table.core.windows.net, …openai.azure.com, …vault.azure.net) resolve to the
//                   private endpoints from inside the VNet
//   endpoints       storage 'table', the anchors account's 'blob', Azure OpenAI 'account', Key
//                   Vault 'vault', and the Azure Monitor private link scope 'azuremonitor'
//                   (Application Insights ingestion). The blob endpoint registers in the
//                   privatelink.blob zone the monitor endpoint already brings (one zone per name)
//
// Inbound (Bot Framework → /api/messages) and the outbound hosts the bot still needs on the
// internet are set on the web app (appservice.bicep) and listed in infra/README.md §10.

@description('Azure region.')
param location string

param vnetName string

@description('Address space of the VNet; the two /26 subnets are carved from its first /24.')
param addressPrefix string = '10.40.0.0/24'

param storageAccountId string

@description('Resource id of the audit anchors\' storage account (anchors.bicep).')
param anchorStorageAccountId string
param openAiAccountId string
param keyVaultId string

@description('Resource id of the Azure Monitor private link scope (monitoring.bicep).')
param privateLinkScopeId string

param tags object = {}

var appSubnetPrefix = cidrSubnet(addressPrefix, 26, 0)
var endpointSubnetPrefix = cidrSubnet(addressPrefix, 26, 1)

var endpoints = [
  {
    name: 'table'
    resourceId: storageAccountId
    groupId: 'table'
    zones: ['privatelink.table.${environment().suffixes.storage}']
  }
  {
    name: 'anchors'
    resourceId: anchorStorageAccountId
    groupId: 'blob'
    zones: []
    dnsZones: ['privatelink.blob.${environment().suffixes.storage}']
  }
  {
    name: 'openai'
    resourceId: openAiAccountId
    groupId: 'account'
    zones: ['privatelink.openai.azure.com']
  }
  {
    name: 'vault'
    resourceId: keyVaultId
    groupId: 'vault'
    zones: ['privatelink.vaultcore.azure.net']
  }
  {
    name: 'monitor'
    resourceId: privateLinkScopeId
    groupId: 'azuremonitor'
    zones: [
      'privatelink.monitor.azure.com'
      'privatelink.oms.opinsights.azure.com'
      'privatelink.ods.opinsights.azure.com'
      'privatelink.agentsvc.azure-automation.net'
      'privatelink.blob.${environment().suffixes.storage}'
    ]
  }
]
var zoneNames = flatten(map(endpoints, e => e.zones))

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [addressPrefix] }
    subnets: [
      {
        name: 'snet-app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            { name: 'web', properties: { serviceName: 'Microsoft.Web/serverFarms' } }
          ]
        }
      }
      {
        name: 'snet-pe'
        properties: {
          addressPrefix: endpointSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2020-06-01' = [for zone in zoneNames: {
  name: zone
  location: 'global'
  tags: tags
}]

resource links 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = [for (zone, i) in zoneNames: {
  parent: zones[i]
  name: 'link-${vnetName}'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: { id: vnet.id }
  }
}]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2023-11-01' = [for e in endpoints: {
  name: 'pe-${e.name}-${vnetName}'
  location: location
  tags: tags
  properties: {
    subnet: { id: '${vnet.id}/subnets/snet-pe' }
    privateLinkServiceConnections: [
      {
        name: e.name
        properties: {
          privateLinkServiceId: e.resourceId
          groupIds: [e.groupId]
        }
      }
    ]
  }
}]

resource dnsGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-11-01' = [for (e, i) in endpoints: {
  parent: privateEndpoints[i]
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [for zone in (contains(e, 'dnsZones') ? e.dnsZones : e.zones): {
      name: replace(zone, '.', '-')
      properties: { privateDnsZoneId: resourceId('Microsoft.Network/privateDnsZones', zone) }
    }]
  }
  dependsOn: [zones]
}]

output appSubnetId string = '${vnet.id}/subnets/snet-app'
output endpointSubnetId string = '${vnet.id}/subnets/snet-pe'
output privateDnsZones array = zoneNames
