// The responder's own telemetry: a Log Analytics workspace and a workspace-based Application
// Insights component. Local (instrumentation-key) auth is disabled, so the app's identity gets
// Monitoring Metrics Publisher on the component to send telemetry with Entra ID.

@description('Name of the Log Analytics workspace for the responder\'s own telemetry.')
param workspaceName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Azure region.')
param location string

@description('Tags for both resources.')
param tags object = {}

@description('Days to keep the responder\'s own logs.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Principal ID of the responder identity (granted Monitoring Metrics Publisher on the component).')
param principalId string

// Monitoring Metrics Publisher (built-in): lets the app send telemetry when local auth is off.
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
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
    DisableLocalAuth: true
  }
}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, monitoringMetricsPublisherRoleId)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'oom-responder: send its own telemetry to Application Insights with Entra ID (local auth is disabled).'
  }
}

@description('Application Insights connection string (not a secret: ingestion needs Entra ID because local auth is off).')
output connectionString string = appInsights.properties.ConnectionString

@description('Resource ID of the responder\'s workspace.')
output workspaceId string = workspace.id
