// Key Vault in RBAC mode for the bot's secrets. The templates create no secret values (they would
// end up in the deployment history); an administrator sets them once after deployment:
//   bot-state-key         base64 of 32 random bytes (BOT_STATE_KEY)
//   bot-app-password      the Entra app's client secret (MicrosoftAppPassword, SingleTenant only)
// The bot's identity gets Key Vault Secrets User (read secret values) on this vault only.

@description('Azure region.')
param location string

@description('Globally unique, 3-24 characters.')
@minLength(3)
@maxLength(24)
param name string

@description('Principal id of the bot\'s managed identity.')
param principalId string

@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string = 'Enabled'

@description('Log Analytics workspace for the vault\'s audit log.')
param workspaceId string

param tags object = {}

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
    }
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [{ categoryGroup: 'audit', enabled: true }]
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
