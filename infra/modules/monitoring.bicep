// Log Analytics (where App Service and Key Vault logs go) and workspace-based Application Insights.
// Closed network (publicNetworkAccess = 'Disabled'): ingestion only through the Azure Monitor private
// link scope (AMPLS) that network.bicep gives a private endpoint; queries stay open to the portal.

@description('Azure region.')
param location string

param workspaceName string
param appInsightsName string

@description('Days to keep logs. The exchange records themselves live in Table Storage, not here.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 90

@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string = 'Enabled'

param privateLinkScopeName string = '${workspaceName}-ampls'

param tags object = {}

var closed = publicNetworkAccess == 'Disabled'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
    publicNetworkAccessForIngestion: publicNetworkAccess
    publicNetworkAccessForQuery: 'Enabled'
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    publicNetworkAccessForIngestion: publicNetworkAccess
    publicNetworkAccessForQuery: 'Enabled'
  }
}

resource scope 'Microsoft.Insights/privateLinkScopes@2021-07-01-preview' = if (closed) {
  name: privateLinkScopeName
  location: 'global'
  tags: tags
  properties: {
    accessModeSettings: { ingestionAccessMode: 'PrivateOnly', queryAccessMode: 'Open' }
  }
}

resource scopedWorkspace 'Microsoft.Insights/privateLinkScopes/scopedResources@2021-07-01-preview' = if (closed) {
  parent: scope
  name: 'workspace'
  properties: { linkedResourceId: workspace.id }
}

resource scopedAppInsights 'Microsoft.Insights/privateLinkScopes/scopedResources@2021-07-01-preview' = if (closed) {
  parent: scope
  name: 'app-insights'
  properties: { linkedResourceId: appInsights.id }
}

output workspaceId string = workspace.id
output privateLinkScopeId string = closed ? scope.id : ''
output appInsightsConnectionString string = appInsights.properties.ConnectionString
