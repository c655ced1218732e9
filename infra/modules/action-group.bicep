// The action group that delivers every memory alert to the AlertWebhook function, in the common
// alert schema. Caveat (azure-facts §2): an Azure Function receiver stores the trigger URL
// INCLUDING the function key; managed identity is not supported for this receiver type. After
// rotating the host key, re-run the deployment (or delete and re-create the receiver) so the
// action group calls the new URL; until then deliveries fail with 401.

@description('Action group name.')
param name string

@description('Short name shown in SMS/email notifications (at most 12 characters).')
@maxLength(12)
param shortName string

@description('Tags for the action group.')
param tags object = {}

@description('Name of the responder Function app (in this resource group).')
param functionAppName string

@description('Name of the HTTP-triggered function that receives alerts.')
param functionName string = 'AlertWebhook'

@description('Route of that function below /api (the function name unless its trigger sets a route).')
param functionRoute string = 'alerts'

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: name
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: shortName
    enabled: true
    azureFunctionReceivers: [
      {
        name: 'oom-responder'
        functionAppResourceId: functionApp.id
        functionName: functionName
        // The host-level default function key opens every function with authLevel FUNCTION. It is
        // read at deployment time (listKeys directly in the property, where ARM allows list*()) and
        // stored in the receiver; never output, never logged by this template.
        httpTriggerUrl: 'https://${functionApp.properties.defaultHostName}/api/${functionRoute}?code=${listKeys('${functionApp.id}/host/default', '2024-04-01').functionKeys.default}'
        useCommonAlertSchema: true
      }
    ]
  }
}

@description('Resource ID of the action group.')
output id string = actionGroup.id
