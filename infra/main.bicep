// oom-responder: everything it needs in one resource group, with least privilege.
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.parameters.json
//   or: azd up
// See infra/README.md for the role table and what the responder can never do.

targetScope = 'resourceGroup'

@description('Short name of this deployment (azd environment name); used to derive unique resource names.')
@minLength(1)
@maxLength(40)
param environmentName string

@description('Azure region for the responder (must offer Flex Consumption). Defaults to the resource group\'s region.')
param location string = resourceGroup().location

@description('A container app to watch. The memory limit is the container\'s memory (the app\'s "memory" setting); give exactly one of memoryGiB (whole GiB), memoryMiB or memoryBytes.')
type watchedApp = {
  @description('Container app name.')
  name: string

  @description('Resource group of the container app.')
  resourceGroup: string

  @description('Subscription of the container app; defaults to the deployment\'s subscription.')
  subscriptionId: string?

  @description('Resource ID of the Log Analytics workspace of the app\'s Container Apps environment (system logs, console logs).')
  workspaceResourceId: string

  @description('Resource group of the app\'s managed environment, when it is not the app\'s own (the responder reads the environment to find its workspace).')
  environmentResourceGroup: string?

  @description('Memory limit in whole GiB (e.g. 1, 2, 4). Use memoryMiB for 0.5 or 1.5 GiB.')
  memoryGiB: int?

  @description('Memory limit in MiB (e.g. 512, 1536).')
  memoryMiB: int?

  @description('Memory limit in bytes.')
  memoryBytes: int?

  @description('Override of restartCountThreshold for this app.')
  restartCountThreshold: int?

  @description('Override of workingSetPercent for this app.')
  workingSetPercent: int?

  @description('Metric of the memory rule: MemoryPercentage (percent of the limit, stays right when the limit changes) or WorkingSetBytes (default: bytes computed from the memory limit given here, stale after the app\'s memory changes).')
  memoryMetric: string?
}

@description('The container apps to watch: alert rules are created for each, and the responder gets read-only roles on their resource groups and environment workspaces.')
param watchedApps watchedApp[] = []

@description('Restart alert: fire when the app\'s container terminations in the system logs over 15 minutes are more than this number.')
@minValue(0)
param restartCountThreshold int = 2

@description('Working-set alert: fire when a replica\'s Maximum WorkingSetBytes is above this percent of the app\'s memory limit.')
@minValue(1)
@maxValue(100)
param workingSetPercent int = 90

@description('Severity of the alert rules (0 = critical .. 4 = verbose).')
@minValue(0)
@maxValue(4)
param alertSeverity int = 2

@description('Grant Monitoring Reader on the watched resource groups besides Reader. Reader already includes metrics read; Monitoring Reader adds workspace search and Microsoft.Support/*. Set false for the smallest role set.')
param grantMonitoringReader bool = true

@description('Create the action group and alert rules. Set false for a first provision if reading the function host key fails before the code is deployed; then provision again.')
param deployAlerts bool = true

@description('Route of the AlertWebhook HTTP trigger below /api (its @HttpTrigger route).')
param alertWebhookRoute string = 'alerts'

@description('Prefix of the incident store tables (<prefix>Deliveries, <prefix>Incidents, <prefix>Undelivered, <prefix>Received); app setting INCIDENT_TABLE_PREFIX.')
@minLength(1)
@maxLength(48)
param incidentTablePrefix string = 'oomresponder'

@description('How far back the evidence stage looks before the alert (ISO-8601 duration).')
param evidenceLookback string = 'PT6H'

@description('Minimum time between two notes for the same app and verdict (ISO-8601 duration).')
param incidentCooldown string = 'PT2H'

// Delivery sinks. Secrets go to Key Vault and reach the app as Key Vault references under the
// setting names the code reads; an empty secret means that sink is off. The non-secret companions
// (URLs, project keys, user names) become plain app settings, only when given.

@description('TEAMS_WEBHOOK_URL: Teams Workflows webhook URL (secret, carries sig=; stored in Key Vault). Empty: no Teams sink.')
@secure()
param teamsWebhookUrl string = ''

@description('OPERATOR_TEAMS_WEBHOOK_URL: Teams Workflows webhook URL of the operators\' own channel (secret; stored in Key Vault): alerts for apps that do not exist go there, never to an incident sink. Empty: they are logged only.')
@secure()
param operatorTeamsWebhookUrl string = ''

@description('ADO_ORG_URL: Azure DevOps organization URL, e.g. https://dev.azure.com/contoso. Empty: no Azure DevOps sink. Needs adoProject and adoPat.')
param adoOrgUrl string = ''

@description('ADO_PROJECT: Azure DevOps project name (with adoOrgUrl).')
param adoProject string = ''

@description('ADO_PAT: Azure DevOps personal access token with Work Items read & write (secret; stored in Key Vault).')
@secure()
param adoPat string = ''

@description('JIRA_URL: Jira site URL, e.g. https://acme.atlassian.net. Empty: no Jira sink. Needs jiraEmail, jiraApiToken and jiraProject.')
param jiraUrl string = ''

@description('JIRA_EMAIL: account of the Jira API token (with jiraUrl).')
param jiraEmail string = ''

@description('JIRA_API_TOKEN: Jira API token (secret; stored in Key Vault).')
@secure()
param jiraApiToken string = ''

@description('JIRA_PROJECT: Jira project key, e.g. OPS (with jiraUrl).')
param jiraProject string = ''

@description('SERVICENOW_URL: ServiceNow instance URL, e.g. https://acme.service-now.com. Empty: no ServiceNow sink. Needs serviceNowUser and serviceNowPassword.')
param serviceNowUrl string = ''

@description('SERVICENOW_USER: ServiceNow integration user (with serviceNowUrl).')
param serviceNowUser string = ''

@description('SERVICENOW_PASSWORD: password of the ServiceNow integration user (secret; stored in Key Vault).')
@secure()
param serviceNowPassword string = ''

@description('PAGERDUTY_ROUTING_KEY: PagerDuty Events API v2 integration key (secret; stored in Key Vault). Empty: no PagerDuty sink.')
@secure()
param pagerDutyRoutingKey string = ''

@description('PAGERDUTY_EVENTS_URL: PagerDuty events endpoint; empty: the code\'s default https://events.pagerduty.com/v2/enqueue (EU accounts: https://events.eu.pagerduty.com/v2/enqueue).')
param pagerDutyEventsUrl string = ''

@description('WEBHOOK_URL: URL of the signed generic webhook (secret, URLs often carry tokens; stored in Key Vault). Empty: no webhook sink. Needs webhookSecret.')
@secure()
param webhookUrl string = ''

@description('WEBHOOK_SECRET: HMAC-SHA256 key of the generic webhook, at least 16 characters (secret; stored in Key Vault).')
@secure()
param webhookSecret string = ''

@description('EVENTGRID_TOPIC_ENDPOINT: Event Grid topic endpoint, e.g. https://my-topic.westeurope-1.eventgrid.azure.net/api/events. Empty: no Event Grid sink.')
param eventGridTopicEndpoint string = ''

@description('EVENTGRID_TOPIC_KEY: Event Grid topic access key (secret; stored in Key Vault). Empty: the app uses its managed identity, which then needs EventGrid Data Sender on the topic.')
@secure()
param eventGridTopicKey string = ''

@description('DELIVERY_ROUTES: routing rules, e.g. "rg:rg-payments -> jira,teams; * -> teams". Empty: every configured sink gets every note.')
param deliveryRoutes string = ''

@description('Maximum instances of the Flex Consumption app.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 20

@description('Memory per Flex Consumption instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Always-ready instances of the http group: keeps AlertWebhook warm for the action group\'s 10-second window (0 turns it off; about one instance-month of baseline GB-s each, see docs/deploy.md).')
@minValue(0)
@maxValue(10)
param alwaysReadyHttpInstances int = 1

@description('Turn on Key Vault purge protection (irreversible).')
param keyVaultPurgeProtection bool = false

@description('Private networking: storage and Key Vault deny public network access and are reached through private endpoints in a new virtual network, which the Function app integrates with. Chart links in Teams cards are then off (CHART_UPLOAD=false): Teams cannot fetch a private blob. See docs/deploy.md.')
param privateNetworking bool = false

@description('Address space of the virtual network of the private-network option (two /26 subnets are taken from it).')
param vnetAddressPrefix string = '10.40.0.0/24'

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  'azd-env-name': environmentName
  app: 'oom-responder'
}
var names = {
  identity: 'id-oomr-${token}'
  workspace: 'log-oomr-${token}'
  appInsights: 'appi-oomr-${token}'
  storage: 'stoomr${token}'
  keyVault: 'kv-oomr-${token}'
  plan: 'plan-oomr-${token}'
  functionApp: 'func-oomr-${token}'
  actionGroup: 'ag-oomr-${token}'
}
var deploymentContainerName = 'app-package'

// Each watched app, normalised: subscription filled in, memory limit in bytes, thresholds resolved.
var apps = map(watchedApps, a => {
  name: a.name
  resourceGroup: a.resourceGroup
  environmentResourceGroup: a.?environmentResourceGroup ?? a.resourceGroup
  subscriptionId: a.?subscriptionId ?? subscription().subscriptionId
  resourceId: resourceId(a.?subscriptionId ?? subscription().subscriptionId, a.resourceGroup, 'Microsoft.App/containerApps', a.name)
  workspaceResourceId: a.workspaceResourceId
  memoryLimitBytes: a.?memoryBytes ?? ((a.?memoryMiB ?? ((a.?memoryGiB ?? 0) * 1024)) * 1048576)
  restartCountThreshold: a.?restartCountThreshold ?? restartCountThreshold
  workingSetPercent: a.?workingSetPercent ?? workingSetPercent
  memoryMetric: a.?memoryMetric ?? 'WorkingSetBytes'
})

// Distinct watched resource groups (the apps' and their environments') and environment workspaces
// (union() drops duplicates).
var watchedGroups = union(map(apps, a => {
  subscriptionId: a.subscriptionId
  resourceGroup: a.resourceGroup
}), map(apps, a => {
  subscriptionId: a.subscriptionId
  resourceGroup: a.environmentResourceGroup
}))
var watchedWorkspaces = union(map(apps, a => {
  subscriptionId: split(a.workspaceResourceId, '/')[2]
  resourceGroup: split(a.workspaceResourceId, '/')[4]
  name: last(split(a.workspaceResourceId, '/'))
}), [])
var workspaceIds = union(map(apps, a => toLower(a.workspaceResourceId)), [])

// Sink secrets, keyed by the app setting the code reads. Only the non-empty ones are stored in Key
// Vault (secret name = setting name in lower case with '-': ADO_PAT -> ado-pat) and referenced.
var sinkSecrets = {
  TEAMS_WEBHOOK_URL: teamsWebhookUrl
  OPERATOR_TEAMS_WEBHOOK_URL: operatorTeamsWebhookUrl
  ADO_PAT: adoPat
  JIRA_API_TOKEN: jiraApiToken
  SERVICENOW_PASSWORD: serviceNowPassword
  PAGERDUTY_ROUTING_KEY: pagerDutyRoutingKey
  WEBHOOK_URL: webhookUrl
  WEBHOOK_SECRET: webhookSecret
  EVENTGRID_TOPIC_KEY: eventGridTopicKey
}
var givenSinkSecrets = filter(items(sinkSecrets), s => !empty(s.value))
var keyVaultUri = 'https://${names.keyVault}${environment().suffixes.keyvaultDns}/'
var keyVaultSecrets = toObject(givenSinkSecrets, s => replace(toLower(s.key), '_', '-'), s => s.value)
var secretSettings = toObject(givenSinkSecrets, s => s.key, s => '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${replace(toLower(s.key), '_', '-')}/)')

// Non-secret sink settings, set only when given (the code treats a blank setting as unset anyway).
var sinkSettings = {
  ADO_ORG_URL: adoOrgUrl
  ADO_PROJECT: adoProject
  JIRA_URL: jiraUrl
  JIRA_EMAIL: jiraEmail
  JIRA_PROJECT: jiraProject
  SERVICENOW_URL: serviceNowUrl
  SERVICENOW_USER: serviceNowUser
  PAGERDUTY_EVENTS_URL: pagerDutyEventsUrl
  EVENTGRID_TOPIC_ENDPOINT: eventGridTopicEndpoint
  DELIVERY_ROUTES: deliveryRoutes
}
var givenSinkSettings = toObject(filter(items(sinkSettings), s => !empty(s.value)), s => s.key, s => s.value)

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    principalId: identity.outputs.principalId
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    tableNames: [
      '${incidentTablePrefix}Deliveries'
      '${incidentTablePrefix}Incidents'
      '${incidentTablePrefix}Undelivered'
      '${incidentTablePrefix}Received'
    ]
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    enablePurgeProtection: keyVaultPurgeProtection
    secrets: keyVaultSecrets
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  name: 'network'
  params: {
    nameSuffix: token
    location: location
    tags: tags
    addressPrefix: vnetAddressPrefix
    storageAccountId: storage.outputs.id
    keyVaultId: keyVault.outputs.id
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  // The app reads Key Vault references and host storage as the identity at start-up, so the
  // role assignments must exist first.
  dependsOn: [
    keyVault
  ]
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.connectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    virtualNetworkSubnetId: privateNetworking ? network.outputs.integrationSubnetId : ''
    appSettings: union({
      ALLOWED_SUBSCRIPTIONS: join(union(map(apps, a => a.subscriptionId), []), ',')
      ALLOWED_RESOURCE_GROUPS: join(union(map(apps, a => toLower(a.resourceGroup)), []), ',')
      EVIDENCE_LOOKBACK: evidenceLookback
      INCIDENT_COOLDOWN: incidentCooldown
      INCIDENT_STORE_ENDPOINT: storage.outputs.tableEndpoint
      INCIDENT_TABLE_PREFIX: incidentTablePrefix
      CHART_CONTAINER: storage.outputs.chartContainerName
    }, privateNetworking ? {
      // A card's image is fetched by Teams from the internet; a private blob cannot answer it.
      CHART_UPLOAD: 'false'
    } : {}, givenSinkSettings, secretSettings, length(workspaceIds) == 1 ? {
      // One environment workspace: give its workspace (customer) ID to the evidence stage, so the
      // logs query does not wait for the environment's ARM record, and works for environments
      // that send logs through diagnostic settings (no customerId in appLogsConfiguration).
      LOG_ANALYTICS_WORKSPACE_ID: reference(workspaceIds[0], '2023-09-01').customerId
    } : {})
  }
}

module watchedGroupReaders 'modules/watched-group-reader.bicep' = [for g in watchedGroups: {
  name: 'reader-${uniqueString(g.subscriptionId, g.resourceGroup)}'
  scope: resourceGroup(g.subscriptionId, g.resourceGroup)
  params: {
    principalId: identity.outputs.principalId
    grantMonitoringReader: grantMonitoringReader
  }
}]

module workspaceReaders 'modules/workspace-reader.bicep' = [for w in watchedWorkspaces: {
  name: 'logreader-${uniqueString(w.subscriptionId, w.resourceGroup, w.name)}'
  scope: resourceGroup(w.subscriptionId, w.resourceGroup)
  params: {
    workspaceName: w.name
    principalId: identity.outputs.principalId
  }
}]

module actionGroup 'modules/action-group.bicep' = if (deployAlerts) {
  name: 'actiongroup'
  params: {
    name: names.actionGroup
    shortName: 'oomresponder'
    tags: tags
    functionAppName: functionApp.outputs.name
    functionName: 'AlertWebhook'
    functionRoute: alertWebhookRoute
  }
}

module appAlerts 'modules/app-alerts.bicep' = [for app in apps: if (deployAlerts) {
  name: 'alerts-${uniqueString(app.resourceId)}'
  params: {
    appName: app.name
    appResourceId: app.resourceId
    workspaceResourceId: app.workspaceResourceId
    memoryLimitBytes: app.memoryLimitBytes
    workingSetPercent: app.workingSetPercent
    memoryMetric: app.memoryMetric
    restartCountThreshold: app.restartCountThreshold
    severity: alertSeverity
    actionGroupId: actionGroup.outputs.id
    location: location
    tags: tags
  }
}]

@description('Resource ID of the action group that calls AlertWebhook (empty with deployAlerts=false): add it to existing alert rules (docs/deploy.md).')
output AZURE_ACTION_GROUP_ID string = deployAlerts ? actionGroup.outputs.id : ''

@description('Function app name (azd: the api service).')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('Function app host name.')
output AZURE_FUNCTION_APP_HOST string = functionApp.outputs.defaultHostName

@description('Client ID of the responder identity.')
output AZURE_CLIENT_ID string = identity.outputs.clientId

@description('Principal ID of the responder identity (for auditing its role assignments).')
output AZURE_PRINCIPAL_ID string = identity.outputs.principalId

@description('Storage account of the responder (queues and incident tables).')
output AZURE_STORAGE_ACCOUNT string = storage.outputs.name

@description('Key Vault URI for the sink secrets.')
output AZURE_KEY_VAULT_URI string = keyVaultUri
