// Read-only roles for the responder on ONE watched resource group (deployed with
// scope: resourceGroup(subscriptionId, name) from main.bicep). Reader lets the ARM client read the
// container apps, revisions and replicas, and (through */read) platform metrics. Monitoring Reader
// is the documented role for metrics and is granted unless grantMonitoringReader is false; it adds
// no write either, only workspace search and Microsoft.Support/* (support requests). Neither role
// includes a write, a delete, or an action such as listSecrets.

targetScope = 'resourceGroup'

@description('Principal ID of the responder identity.')
param principalId string

@description('Also grant Monitoring Reader (redundant with Reader for metrics; set false for the smallest set).')
param grantMonitoringReader bool = true

// Built-in role definition IDs.
var readerRoleId = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
var monitoringReaderRoleId = '43d0d8ad-25c7-4714-9337-8ba259a9fe05'

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, readerRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', readerRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'oom-responder: read container apps, revisions and replicas (memory limit, scale settings, restart counts).'
  }
}

resource monitoringReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantMonitoringReader) {
  name: guid(resourceGroup().id, principalId, monitoringReaderRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringReaderRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'oom-responder: read platform metrics (WorkingSetBytes, RestartCount, Requests, Replicas).'
  }
}
