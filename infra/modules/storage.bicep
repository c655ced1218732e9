// The responder's own storage account: Functions host storage (identity-based AzureWebJobsStorage),
// the Flex Consumption deployment container, the alert queues and the incident-store tables.
// Shared-key access is off, so every client (host, deployment, app code) authenticates with the
// managed identity; the identity's data roles are scoped to this account only.

@description('Storage account name (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the account.')
param tags object = {}

@description('Blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Private blob container for the note charts that Teams cards link with a user-delegation SAS (CHART_CONTAINER).')
param chartContainerName string = 'charts'

@description('Public network access: Enabled, or Disabled with the private-network option (private endpoints in network.bicep).')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Enabled'

@description('Principal ID of the responder identity (granted blob/queue/table data roles on this account only).')
param principalId string

@description('Queues to create: the alert queue and its poison queue.')
param queueNames array = [
  'alerts'
  'alerts-poison'
]

@description('Tables of the incident store (created here too so the store never needs to create them).')
param tableNames array

// Built-in data roles. Blob Data Owner: the Functions host creates containers and manages blob
// leases (host storage, timer trigger locks) and the Flex deployment reads the package.
// Queue Data Contributor: the queue trigger and the enqueue from AlertWebhook.
// Table Data Contributor: the incident store.
var dataRoles = [
  {
    id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
    label: 'Storage Blob Data Owner'
    why: 'Functions host storage (containers, leases, keys) and the Flex deployment package'
  }
  {
    id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
    label: 'Storage Queue Data Contributor'
    why: 'alerts / alerts-poison queues (queue trigger, enqueue from AlertWebhook)'
  }
  {
    id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
    label: 'Storage Table Data Contributor'
    why: 'incident store tables (deliveries, incidents, undelivered notes, received alerts)'
  }
]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Charts: private (no public access); readers get a read-only user-delegation SAS link from the app.
resource chartContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: chartContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Chart links need two grants of their own, so they keep working if the host-storage role above is
// narrowed: Storage Blob Data Contributor on the charts container (upload; a user-delegation SAS
// never grants more than its signer holds, so this also backs the links' read), and Storage Blob
// Delegator on the account, because Get User Delegation Key is a blob-service action that a
// container-scoped role does not carry (Learn: Get User Delegation Key, "Permissions").
var storageBlobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageBlobDelegatorRoleId = 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'

resource chartWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(chartContainer.id, principalId, storageBlobDataContributorRoleId)
  scope: chartContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributorRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'oom-responder: Storage Blob Data Contributor on the charts container: uploads note charts.'
  }
}

resource chartDelegator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, storageBlobDelegatorRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDelegatorRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'oom-responder: Storage Blob Delegator on its own storage account: user delegation keys that sign the read-only chart links.'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queueName in queueNames: {
  parent: queueService
  name: queueName
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for tableName in tableNames: {
  parent: tableService
  name: tableName
}]

resource dataRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in dataRoles: {
  name: guid(account.id, principalId, role.id)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'oom-responder: ${role.label} on its own storage account: ${role.why}.'
  }
}]

@description('Storage account name (AzureWebJobsStorage__accountName).')
output name string = account.name

@description('Blob endpoint, e.g. https://<name>.blob.core.windows.net/.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Name of the charts container (CHART_CONTAINER).')
output chartContainerName string = chartContainer.name

@description('Queue endpoint.')
output queueEndpoint string = account.properties.primaryEndpoints.queue

@description('Resource ID of the storage account (private endpoints).')
output id string = account.id

@description('Table endpoint (the incident store).')
output tableEndpoint string = account.properties.primaryEndpoints.table

@description('URL of the deployment container for functionAppConfig.deployment.storage.value.')
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'
