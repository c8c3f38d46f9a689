// The user-assigned managed identity the web app runs as. It is the only principal that gets data
// roles (see storage.bicep, openai.bicep, keyvault.bicep), and with botAppType UserAssignedMSI it
// is also the bot's identity towards the Bot Framework.

@description('Azure region.')
param location string

@description('Name of the identity.')
param name string

param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
output tenantId string = identity.properties.tenantId
