// Linux App Service plan and the web app that runs `python -m bot serve` on Python 3.11.
// The app runs as the user-assigned identity (also used to resolve Key Vault references).
// Closed network (a subnet given): VNet integration with all outbound traffic routed through the
// VNet (so Table storage, Key Vault references and Azure OpenAI resolve to their private endpoints),
// and inbound restricted to the Bot Framework service (service tag AzureBotService): /api/messages
// must stay reachable from it. See infra/README.md §10.

@description('Azure region.')
param location string

param planName string
param siteName string

@description('App Service plan SKU. B1 is enough for a pilot; P0v3 or above for production and private endpoints.')
param skuName string = 'B1'

@description('Resource id of the user-assigned identity.')
param identityId string

@description('App settings (environment variables), name -> value.')
param appSettings object

@description('Startup command. Authentication is on because MicrosoftAppId is set.')
param startupCommand string = 'python -m bot serve --host 0.0.0.0 --port 8000'

@description('Log Analytics workspace for HTTP, console and platform logs.')
param workspaceId string

@description('Closed network: the delegated subnet for VNet integration (empty: no VNet integration).')
param subnetId string = ''

@description('Allow inbound only from the AzureBotService service tag (the Bot Framework service).')
param restrictInboundToBotService bool = false

param tags object = {}

var botServiceOnly = [
  {
    name: 'bot-framework'
    description: 'Bot Framework service (Teams messages to /api/messages)'
    action: 'Allow'
    priority: 100
    tag: 'ServiceTag'
    ipAddress: 'AzureBotService'
  }
]

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: { name: skuName }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: siteName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    vnetRouteAllEnabled: !empty(subnetId)
    siteConfig: {
      linuxFxVersion: 'PYTHON|3.11'
      appCommandLine: startupCommand
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      vnetRouteAllEnabled: !empty(subnetId)
      ipSecurityRestrictions: restrictInboundToBotService ? botServiceOnly : []
      ipSecurityRestrictionsDefaultAction: restrictInboundToBotService ? 'Deny' : 'Allow'
      scmIpSecurityRestrictionsUseMain: false
      appSettings: [for setting in items(appSettings): { name: setting.key, value: setting.value }]
    }
  }
}

// No FTP or basic-auth deployments: deploy with `az webapp deploy` signed in with Entra ID.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

resource logs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: workspaceId
    logs: [
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
  }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
