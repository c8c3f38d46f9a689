// One-command deployment of the municipal generative-AI assistant (Teams bot) into a resource group:
//
//   az deployment group create -g RG -f infra/main.bicep -p infra/main.parameters.json
//
// What it creates, module by module:
//   identity    user-assigned managed identity (the bot's only data-plane principal)
//   monitoring  Log Analytics + Application Insights
//   storage     Storage account for the bot's tables (no shared keys)
//   anchors     a separate Storage account for the audit anchors: one container under a
//               version-level WORM policy (protected appends only); the bot may append, not change
//   openai      Azure OpenAI account + one model deployment (no keys)
//   keyvault    Key Vault, RBAC mode (secrets are set by an administrator afterwards)
//   appservice  Linux plan + web app running `python -m bot serve`
//   bot         Azure Bot with the Microsoft Teams channel
//   network     only with publicNetworkAccess = 'Disabled': VNet, App Service VNet integration,
//               private endpoints + privatelink DNS zones for Table storage, the anchors' Blob
//               storage, Key Vault, Azure OpenAI and the Azure Monitor private link scope; inbound
//               limited to AzureBotService
// Each data module assigns exactly one built-in role to the identity, scoped to its own resource.
// See infra/README.md (Japanese) for the steps before and after.

targetScope = 'resourceGroup'

@description('Short name used in every resource name (lowercase letters and digits).')
@minLength(2)
@maxLength(10)
param namePrefix string = 'aiassist'

@description('Region for everything except the Azure Bot (global).')
param location string = resourceGroup().location

@description('UserAssignedMSI (no secret; recommended) or SingleTenant (Entra app registration with a client secret).')
@allowed(['UserAssignedMSI', 'SingleTenant'])
param botAppType string = 'UserAssignedMSI'

@description('SingleTenant only: the app registration\'s application (client) id. Ignored for UserAssignedMSI.')
param botAppId string = ''

@description('Entra tenant of the bot and of the staff.')
param tenantId string = subscription().tenantId

@description('Tenants whose users may talk to the bot (comma list). Defaults to this tenant.')
param allowedTenantIds string = tenantId

@description('Entra object ids of the administrators (comma list), in addition to those in the policy file.')
param adminAadObjectIds string = ''

@description('City policy: iwaki, maebashi, or a path to a TOML file deployed with the app.')
param botPolicy string = 'iwaki'

@description('Model, version and deployment type: check availability in the region before deploying.')
param openAiModelName string = 'gpt-4o'
param openAiModelVersion string = '2024-11-20'

@allowed(['Standard', 'GlobalStandard', 'DataZoneStandard'])
param openAiDeploymentType string = 'Standard'

@description('Thousands of tokens per minute.')
@minValue(1)
param openAiCapacity int = 30

@description('Enabled, or Disabled to close Storage, Azure OpenAI, Key Vault and monitoring ingestion to the internet: adds the VNet, private endpoints and DNS zones (network module) and limits inbound to the Bot Framework service.')
@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string = 'Enabled'

@description('App Service plan SKU (VNet integration needs Basic or above; P0v3 or above recommended when closed).')
param appServiceSku string = 'B1'

@description('Days each audit anchor stays unchangeable (WORM); keep it above the records\' retention.')
@minValue(1)
param anchorRetentionDays int = 400

@description('Closed network only: address space of the VNet (a /24; two /26 subnets are used).')
param vnetAddressPrefix string = '10.40.0.0/24'

param tags object = {
  system: 'municipal-ai-assistant'
}

var suffix = take(uniqueString(resourceGroup().id, namePrefix), 8)
var names = {
  identity: 'id-${namePrefix}-${suffix}'
  workspace: 'log-${namePrefix}-${suffix}'
  appInsights: 'appi-${namePrefix}-${suffix}'
  storage: take('st${namePrefix}${suffix}', 24)
  anchors: take('sta${namePrefix}${suffix}', 24)
  openAi: 'oai-${namePrefix}-${suffix}'
  keyVault: 'kv-${namePrefix}-${suffix}'
  plan: 'asp-${namePrefix}-${suffix}'
  site: 'app-${namePrefix}-${suffix}'
  bot: 'bot-${namePrefix}-${suffix}'
  vnet: 'vnet-${namePrefix}-${suffix}'
}
var closed = publicNetworkAccess == 'Disabled'
var openAiDeploymentName = 'chat'
var stateKeySecret = 'bot-state-key'
var appPasswordSecret = 'bot-app-password'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { location: location, name: names.identity, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    publicNetworkAccess: publicNetworkAccess
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: names.storage
    principalId: identity.outputs.principalId
    publicNetworkAccess: publicNetworkAccess
    tags: tags
  }
}

module anchors 'modules/anchors.bicep' = {
  name: 'anchors'
  params: {
    location: location
    name: names.anchors
    principalId: identity.outputs.principalId
    retentionDays: anchorRetentionDays
    publicNetworkAccess: publicNetworkAccess
    tags: tags
  }
}

module openai 'modules/openai.bicep' = {
  name: 'openai'
  params: {
    location: location
    name: names.openAi
    principalId: identity.outputs.principalId
    deploymentName: openAiDeploymentName
    modelName: openAiModelName
    modelVersion: openAiModelVersion
    deploymentType: openAiDeploymentType
    capacity: openAiCapacity
    publicNetworkAccess: publicNetworkAccess
    tags: tags
  }
}

module keyvault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    name: names.keyVault
    principalId: identity.outputs.principalId
    publicNetworkAccess: publicNetworkAccess
    workspaceId: monitoring.outputs.workspaceId
    tags: tags
  }
}

module network 'modules/network.bicep' = if (closed) {
  name: 'network'
  params: {
    location: location
    vnetName: names.vnet
    addressPrefix: vnetAddressPrefix
    storageAccountId: storage.outputs.id
    anchorStorageAccountId: anchors.outputs.id
    openAiAccountId: openai.outputs.id
    keyVaultId: keyvault.outputs.id
    privateLinkScopeId: monitoring.outputs.privateLinkScopeId
    tags: tags
  }
}

var msi = botAppType == 'UserAssignedMSI'
var appId = msi ? identity.outputs.clientId : botAppId
var secretRef = '@Microsoft.KeyVault(VaultName=${names.keyVault};SecretName='

// Every name here is an environment variable the bot reads in bot/config.py
// (tests/infra/test_infra.py checks this), except the platform ones listed in platformSettings.
var botSettings = {
  MicrosoftAppId: appId
  MicrosoftAppType: botAppType
  MicrosoftAppTenantId: tenantId
  BOT_POLICY: botPolicy
  AZURE_TABLES_ENDPOINT: storage.outputs.tableEndpoint
  AUDIT_ANCHOR_BLOB_CONTAINER_URL: anchors.outputs.containerUrl
  AZURE_OPENAI_ENDPOINT: openai.outputs.endpoint
  AZURE_OPENAI_DEPLOYMENT: openai.outputs.deploymentName
  ADMIN_AAD_OBJECT_IDS: adminAadObjectIds
  ALLOWED_TENANT_IDS: allowedTenantIds
  BOT_STATE_KEY: '${secretRef}${stateKeySecret})'
  LOG_LEVEL: 'INFO'
}
var passwordSettings = msi ? {} : {
  MicrosoftAppPassword: '${secretRef}${appPasswordSecret})'
}
var platformSettings = {
  AZURE_CLIENT_ID: identity.outputs.clientId // azure-identity: which managed identity to use
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.appInsightsConnectionString
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'true' // App Service installs the Python dependencies on deploy
}

module appservice 'modules/appservice.bicep' = {
  name: 'appservice'
  params: {
    location: location
    planName: names.plan
    siteName: names.site
    skuName: appServiceSku
    identityId: identity.outputs.id
    appSettings: union(botSettings, passwordSettings, platformSettings)
    workspaceId: monitoring.outputs.workspaceId
    subnetId: closed ? network.outputs.appSubnetId : ''
    restrictInboundToBotService: closed
    tags: tags
  }
  dependsOn: [keyvault]
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: names.bot
    displayName: 'AI Assistant (${namePrefix})'
    endpoint: 'https://${appservice.outputs.defaultHostName}/api/messages'
    appType: botAppType
    appId: appId
    tenantId: tenantId
    identityResourceId: msi ? identity.outputs.id : ''
    tags: tags
  }
}

output webAppName string = appservice.outputs.name
output webAppHostName string = appservice.outputs.defaultHostName
output messagingEndpoint string = 'https://${appservice.outputs.defaultHostName}/api/messages'
output botAppId string = appId
output botName string = bot.outputs.name
output keyVaultName string = keyvault.outputs.name
output stateKeySecretName string = stateKeySecret
output appPasswordSecretName string = msi ? '' : appPasswordSecret
output openAiEndpoint string = openai.outputs.endpoint
output tableEndpoint string = storage.outputs.tableEndpoint
output anchorStorageAccountName string = anchors.outputs.name
output anchorContainerUrl string = anchors.outputs.containerUrl
