// Log Analytics Reader for the responder on ONE Container Apps environment workspace (deployed
// with scope: resourceGroup(subscriptionId, workspaceResourceGroup) from main.bicep), so it can
// query ContainerAppSystemLogs / ContainerAppConsoleLogs. Read and query only.

targetScope = 'resourceGroup'

@description('Name of the existing Log Analytics workspace in this resource group.')
param workspaceName string

@description('Principal ID of the responder identity.')
param principalId string

// Log Analytics Reader (built-in).
var logAnalyticsReaderRoleId = '73c42c96-874c-492b-b04d-ab87d138a893'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource logReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, principalId, logAnalyticsReaderRoleId)
  scope: workspace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', logAnalyticsReaderRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'oom-responder: query the environment\'s system and console logs (OOMKilled, exit code 137).'
  }
}
