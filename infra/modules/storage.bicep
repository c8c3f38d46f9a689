// Storage account for the bot's tables (conversation state, quota counters, exchange records).
// Keys are disabled: the bot signs in with its managed identity (AZURE_TABLES_ENDPOINT) and gets
// Storage Table Data Contributor on this account only. The bot creates its tables itself.

@description('Azure region.')
param location string

@description('Globally unique, 3-24 lowercase letters and digits.')
@minLength(3)
@maxLength(24)
param name string

@description('Principal id of the bot\'s managed identity.')
param principalId string

@description('Enabled, or Disabled for closed-network deployments (then add a private endpoint for "table").')
@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string = 'Enabled'

param tags object = {}

var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
    }
  }
}

resource tableData 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, storageTableDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output id string = account.id
output tableEndpoint string = account.properties.primaryEndpoints.table
