// The three alert rules for ONE watched container app, all sending to the responder's action
// group in the common alert schema:
//  1. log search alert: container terminations in the environment's system logs over 15 minutes,
//     above a threshold (the restart trigger). Not a metric alert on RestartCount: that metric is a
//     running counter per replica (restarts since the replica was created; microsoft/azure-container-apps
//     #1384, #467), so any window aggregation of it stays above the threshold after one restart and
//     the rule would fire once and never resolve. Each termination is one log row, so a count works;
//  2. metric alert on memory, Maximum per replica (podName): MemoryPercentage above a percent
//     (memoryMetric 'MemoryPercentage': the metric is already a percent of the replica's limit, so the
//     rule stays right when the limit changes), or WorkingSetBytes above that percent of the limit
//     given here in bytes (memoryMetric 'WorkingSetBytes': stale once the app's memory changes);
//  3. log search alert: OOMKilled / exit code 137 in the environment's system logs.
// Both log alerts split by _ResourceId so the alert's target is the app. The rules live in the
// responder's resource group; they only read the app's signals. infra/validate.mjs refuses a metric
// alert on RestartCount and a metric alert dimension its metric does not support.

@description('Container app name (2-32 lowercase letters, digits and hyphens in Azure).')
@minLength(2)
@maxLength(32)
param appName string

@description('Resource ID of the container app.')
param appResourceId string

@description('Resource ID of the Log Analytics workspace of the app\'s Container Apps environment.')
param workspaceResourceId string

@description('Memory limit of the app\'s container, in bytes (the threshold base of the working-set alert).')
@minValue(1)
param memoryLimitBytes int

@description('Memory metric of the working-set rule: MemoryPercentage (percent of the limit, follows limit changes) or WorkingSetBytes (bytes computed from memoryLimitBytes at deployment).')
@allowed([
  'MemoryPercentage'
  'WorkingSetBytes'
])
param memoryMetric string = 'WorkingSetBytes'

@description('Working-set alert threshold, in percent of the memory limit.')
@minValue(1)
@maxValue(100)
param workingSetPercent int

@description('Restart alert threshold: alert when the app\'s container terminations in the system logs over 15 minutes exceed this number.')
@minValue(0)
param restartCountThreshold int

@description('Severity of the three rules (0 = critical .. 4 = verbose).')
@minValue(0)
@maxValue(4)
param severity int

@description('Resource ID of the action group that calls AlertWebhook.')
param actionGroupId string

@description('Azure region for the log search alert rule (metric alert rules are global).')
param location string

@description('Tags for the rules.')
param tags object = {}

var workingSetThresholdBytes = memoryLimitBytes * workingSetPercent / 100
var ruleSuffix = '${appName}-${uniqueString(appResourceId)}'
// Values go into single-quoted KQL string literals: escape backslashes, then quotes (names are
// escaped before KQL, even where Azure's naming rules already exclude both).
var kqlAppName = replace(replace(appName, '\\', '\\\\'), '\'', '\\\'')
var kqlAppResourceId = replace(replace(toLower(appResourceId), '\\', '\\\\'), '\'', '\\\'')
var oomQuery = replace(replace(loadTextContent('../queries/oom-kills.kql'), '{appName}', kqlAppName), '{appResourceId}', kqlAppResourceId)
var restartsQuery = replace(replace(loadTextContent('../queries/restarts.kql'), '{appName}', kqlAppName), '{appResourceId}', kqlAppResourceId)

resource restarts 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'oom-restarts-${ruleSuffix}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Restarts of ${appName}'
    description: 'Container app ${appName}: more than ${restartCountThreshold} container terminations in the environment\'s system logs over 15 minutes. Sent to oom-responder.'
    severity: severity
    enabled: true
    scopes: [
      workspaceResourceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    // Stateful: one notification per episode, resolved once the terminations stop.
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: restartsQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: restartCountThreshold
          // The rule is scoped to the workspace, so the alert's target stays the workspace whatever the rule
          // splits on (Learn alerts-common-schema). The app is named by the declared dimensions: _ResourceId
          // (the query sets it to the app's id; it becomes the configuration item), ContainerAppName and
          // EnvironmentName (which oom-responder resolves through ARM when _ResourceId is not the app).
          dimensions: [
            {
              name: '_ResourceId'
              operator: 'Include'
              values: [
                '*'
              ]
            }
            {
              name: 'ContainerAppName'
              operator: 'Include'
              values: [
                '*'
              ]
            }
            {
              name: 'EnvironmentName'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroupId
      ]
    }
  }
}

resource workingSet 'Microsoft.Insights/metricAlerts@2018-03-01' = if (memoryMetric == 'WorkingSetBytes') {
  name: 'oom-workingset-${ruleSuffix}'
  location: 'global'
  tags: tags
  properties: {
    description: 'Memory of container app ${appName}: Maximum WorkingSetBytes of a replica above ${workingSetPercent}% of its ${memoryLimitBytes}-byte limit (${workingSetThresholdBytes} bytes). Sent to oom-responder.'
    severity: severity
    enabled: true
    scopes: [
      appResourceId
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    targetResourceType: 'Microsoft.App/containerApps'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'WorkingSetNearLimit'
          metricNamespace: 'Microsoft.App/containerApps'
          metricName: 'WorkingSetBytes'
          timeAggregation: 'Maximum'
          operator: 'GreaterThan'
          threshold: workingSetThresholdBytes
          // One time series per replica, so a single leaking replica fires on its own.
          dimensions: [
            {
              name: 'podName'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroupId
      }
    ]
  }
}

resource memoryPercentage 'Microsoft.Insights/metricAlerts@2018-03-01' = if (memoryMetric == 'MemoryPercentage') {
  name: 'oom-memorypct-${ruleSuffix}'
  location: 'global'
  tags: tags
  properties: {
    description: 'Memory of container app ${appName}: Maximum MemoryPercentage of a replica above ${workingSetPercent}% of its limit, whatever the limit is now. Sent to oom-responder.'
    severity: severity
    enabled: true
    scopes: [
      appResourceId
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    targetResourceType: 'Microsoft.App/containerApps'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'MemoryPercentageNearLimit'
          metricNamespace: 'Microsoft.App/containerApps'
          metricName: 'MemoryPercentage'
          timeAggregation: 'Maximum'
          operator: 'GreaterThan'
          threshold: workingSetPercent
          // MemoryPercentage has podName only (Learn, supported metrics): one series per replica.
          dimensions: [
            {
              name: 'podName'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroupId
      }
    ]
  }
}

resource oomKills 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'oom-kills-${ruleSuffix}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'OOM kills of ${appName}'
    description: 'Container app ${appName}: OOMKilled or exit code 137 in the environment\'s system logs. Sent to oom-responder.'
    severity: severity
    enabled: true
    scopes: [
      workspaceResourceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: oomQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          // The rule is scoped to the workspace, so the alert's target stays the workspace whatever the rule
          // splits on (Learn alerts-common-schema). The app is named by the declared dimensions: _ResourceId
          // (the query sets it to the app's id; it becomes the configuration item), ContainerAppName and
          // EnvironmentName (which oom-responder resolves through ARM when _ResourceId is not the app).
          dimensions: [
            {
              name: '_ResourceId'
              operator: 'Include'
              values: [
                '*'
              ]
            }
            {
              name: 'ContainerAppName'
              operator: 'Include'
              values: [
                '*'
              ]
            }
            {
              name: 'EnvironmentName'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroupId
      ]
    }
  }
}

@description('Resource IDs of the three rules.')
output ruleIds array = [
  restarts.id
  workingSet.id
  oomKills.id
]
