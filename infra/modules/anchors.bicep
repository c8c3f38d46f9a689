// Storage account for the audit anchors (chain heads), separate from the bot's tables.
//
// The anchors prove that the records were not cut or rewritten, so they must be out of reach of
// whoever can write the records (the bot's identity, an administrator of the tables account):
//   - an account of its own, with no shared keys;
//   - version-level immutability (WORM) on the account and the container: a time-based retention
//     policy with protected append writes, so the bot can append blocks to an append blob but
//     nobody can change or delete a written block until the retention ends;
//   - the policy is deployed Unlocked (so a wrong retention can still be fixed); lock it after the
//     first deployment (infra/README.md §13). A locked policy can be extended, never shortened
//     or removed, and the account cannot be deleted while it holds protected blobs;
//   - the bot's identity gets Storage Blob Data Contributor on the container only. The sink
//     (bot/core/audit/blob_anchors.py) only creates a missing blob and appends blocks.

@description('Azure region.')
param location string

@description('Globally unique, 3-24 lowercase letters and digits.')
@minLength(3)
@maxLength(24)
param name string

@description('Principal id of the bot\'s managed identity.')
param principalId string

@description('Days each anchor is kept unchangeable; longer than the records\' retention (policy [records] retention_months).')
@minValue(1)
param retentionDays int = 400

@description('Enabled, or Disabled for closed-network deployments (then add a private endpoint for "blob").')
@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string = 'Enabled'

param tags object = {}

var containerName = 'audit-anchors'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

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
    immutableStorageWithVersioning: {
      enabled: true
      immutabilityPolicy: {
        immutabilityPeriodSinceCreationInDays: retentionDays
        allowProtectedAppendWrites: true
        state: 'Unlocked'
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: 30 }
    containerDeleteRetentionPolicy: { enabled: true, days: 30 }
  }
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: containerName
  properties: {
    publicAccess: 'None'
    immutableStorageWithVersioning: { enabled: true }
  }
}

resource blobData 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(container.id, principalId, storageBlobDataContributor)
  scope: container
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output id string = account.id
output name string = account.name
output containerUrl string = '${account.properties.primaryEndpoints.blob}${containerName}'
