// The Function app on Flex Consumption (FC1, Linux, Java 17). It runs as the user-assigned
// identity only: host storage, deployment package, Key Vault references, Application Insights
// and the Azure SDK clients (DefaultAzureCredential with AZURE_CLIENT_ID) all use it.

@description('Function app name (globally unique host name).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region (must offer Flex Consumption).')
param location string

@description('Tags for the plan and the app. The app also gets azd-service-name so `azd deploy` finds it.')
param tags object = {}

@description('Resource ID of the user-assigned identity.')
param identityId string

@description('Client ID of the user-assigned identity.')
param identityClientId string

@description('Name of the responder\'s storage account (host storage).')
param storageAccountName string

@description('URL of the blob container that holds the deployment package.')
param deploymentContainerUrl string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Application settings of the responder itself, as an object of name -> value (merged over the platform settings).')
param appSettings object = {}

@description('Upper bound of instances the plan may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 20

@description('Memory per instance in MB (Flex Consumption sizes: 512, 2048 or 4096).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

// An action group waits 10 seconds for AlertWebhook's answer, retries twice (after 10 s and 100 s)
// and then stops calling the endpoint for 30 minutes; a Java worker started cold for the alert may
// not answer in time. An always-ready instance of the http group keeps one worker warm.
@description('Always-ready instances of the http group (AlertWebhook, Replay), so an alert never waits for a cold start (0 turns it off; cost in docs/deploy.md).')
@minValue(0)
@maxValue(10)
param alwaysReadyHttpInstances int = 1

@description('Subnet for VNet integration (private-network option), or empty for none.')
param virtualNetworkSubnetId string = ''

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

// Settings the platform needs. FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION must not be
// set on Flex Consumption: the runtime comes from functionAppConfig.runtime.
var platformSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  AZURE_CLIENT_ID: identityClientId
}

var allSettings = union(platformSettings, appSettings)

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, {
    'azd-service-name': 'api'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [for s in items(allSettings): {
        name: s.key
        value: s.value
      }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        // FunctionsAlwaysReadyConfig {name, instanceCount}; 'http' is the group of all HTTP triggers
        // (Learn: flex-consumption-plan, "Always ready instances"; REST: Microsoft.Web sites functionAppConfig).
        alwaysReady: [
          {
            name: 'http'
            instanceCount: alwaysReadyHttpInstances
          }
        ]
      }
      runtime: {
        name: 'java'
        version: '17'
      }
    }
  }
}

@description('Function app name.')
output name string = app.name

@description('Function app resource ID.')
output id string = app.id

@description('Default host name, e.g. <name>.azurewebsites.net.')
output defaultHostName string = app.properties.defaultHostName
