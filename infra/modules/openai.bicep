// Azure OpenAI account and one model deployment. Local (key) authentication is disabled: the bot
// uses its managed identity (AZURE_OPENAI_ENDPOINT without AZURE_OPENAI_API_KEY) with the
// Cognitive Services OpenAI User role, which can call models but not read keys or change deployments.

@description('Azure region. Check that the model, version and deployment type are offered there.')
param location string

@description('Account name; also the custom subdomain of the endpoint (https://NAME.openai.azure.com/).')
param name string

@description('Principal id of the bot\'s managed identity.')
param principalId string

@description('Deployment name the bot calls (AZURE_OPENAI_DEPLOYMENT).')
param deploymentName string

param modelName string
param modelVersion string

@description('Standard keeps processing in the account\'s region; GlobalStandard may process anywhere.')
@allowed(['Standard', 'GlobalStandard', 'DataZoneStandard'])
param deploymentType string = 'Standard'

@description('Capacity in thousands of tokens per minute (subject to your subscription quota).')
@minValue(1)
param capacity int = 30

@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string = 'Enabled'

param tags object = {}

var cognitiveServicesOpenAIUser = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: { name: 'S0' }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
    }
  }
}

resource deployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: deploymentName
  sku: {
    name: deploymentType
    capacity: capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: modelName
      version: modelVersion
    }
    versionUpgradeOption: 'NoAutoUpgrade'
  }
}

resource openAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, cognitiveServicesOpenAIUser)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesOpenAIUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output id string = account.id
output endpoint string = account.properties.endpoint
output deploymentName string = deployment.name
