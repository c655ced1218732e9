// Key Vault (RBAC mode) for the sink secrets. Secrets given as secure parameters are written here
// and referenced from app settings as @Microsoft.KeyVault(SecretUri=...) without a version, so a
// rotated secret is picked up without a redeployment. The app identity may only read secrets.

@description('Key Vault name (3-24 characters, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the vault.')
param tags object = {}

@description('Public network access: Enabled, or Disabled with the private-network option (a private endpoint in network.bicep).')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Enabled'

@description('Principal ID of the responder identity (granted Key Vault Secrets User on this vault only).')
param principalId string

@description('Turn on purge protection (cannot be turned off again; the vault name stays reserved after deletion for the retention period).')
param enablePurgeProtection bool = false

@description('Secrets to store, as an object of secret name (letters, digits, -) -> value. Entries with an empty value are skipped.')
@secure()
param secrets object = {}

// Key Vault Secrets User (built-in): read secret contents, nothing else.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

var secretList = filter(items(secrets), s => !empty(s.value))

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
    }
  }
}

resource secretValues 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for s in secretList: {
  parent: vault
  name: s.key
  properties: {
    value: s.value
    contentType: 'text/plain'
  }
}]

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'oom-responder: read the sink secrets (TEAMS_WEBHOOK_URL, ADO_PAT, JIRA_API_TOKEN, ...) through Key Vault references.'
  }
}

@description('Vault URI, e.g. https://<name>.vault.azure.net/.')
output uri string = vault.properties.vaultUri

@description('Names of the secrets that were written.')
output secretNames array = [for s in secretList: s.key]

@description('Resource ID of the vault (private endpoint).')
output id string = vault.id
