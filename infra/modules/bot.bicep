// Azure Bot registration with the Microsoft Teams channel. The bot's identity is either a
// single-tenant Entra app registration (SingleTenant, client secret in Key Vault) or the
// user-assigned managed identity (UserAssignedMSI, no secret at all).

@description('Globally unique bot handle.')
param name string

param displayName string

@description('https://<web app host>/api/messages')
param endpoint string

@allowed(['SingleTenant', 'UserAssignedMSI'])
param appType string

@description('Entra application (client) id: the app registration, or the managed identity\'s client id.')
param appId string

param tenantId string

@description('Resource id of the managed identity (UserAssignedMSI only).')
param identityResourceId string = ''

@allowed(['F0', 'S1'])
param sku string = 'S1'

param tags object = {}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: { name: sku }
  properties: {
    displayName: displayName
    endpoint: endpoint
    msaAppId: appId
    msaAppType: appType
    msaAppTenantId: tenantId
    msaAppMSIResourceId: appType == 'UserAssignedMSI' ? identityResourceId : null
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output id string = bot.id
output name string = bot.name
