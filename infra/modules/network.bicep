// The private-network option (privateNetworking=true): a virtual network with
//  - 'integration', delegated to Microsoft.App/environments: the Flex Consumption app's outbound
//    traffic (storage, Key Vault, Azure APIs) leaves through it (VNet integration);
//  - 'endpoints': private endpoints of the responder's storage account (blob, queue, table) and of its
//    Key Vault, each with its privatelink DNS zone linked to the network, so the app resolves the
//    public names to private addresses.
// The storage account and the vault then deny public network access. Inbound calls to the app
// (the action group's webhook) still come over the internet: action groups cannot call a private
// endpoint. Not deployed here (no Azure); `node infra/validate.mjs` checks its wiring.

@description('Short name used in resource names (vnet-oomr-<token>).')
param nameSuffix string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Address space of the network; the integration subnet takes its first /26, the endpoints subnet the second.')
param addressPrefix string

@description('Resource ID of the responder\'s storage account.')
param storageAccountId string

@description('Resource ID of the responder\'s Key Vault.')
param keyVaultId string

var integrationPrefix = cidrSubnet(addressPrefix, 26, 0)
var endpointsPrefix = cidrSubnet(addressPrefix, 26, 1)

// Private endpoint group ids and their DNS zones (Learn, "Azure Private Endpoint private DNS zone values").
var endpoints = [
  {
    name: 'blob'
    resourceId: storageAccountId
    zone: 'privatelink.blob.${environment().suffixes.storage}'
  }
  {
    name: 'queue'
    resourceId: storageAccountId
    zone: 'privatelink.queue.${environment().suffixes.storage}'
  }
  {
    name: 'table'
    resourceId: storageAccountId
    zone: 'privatelink.table.${environment().suffixes.storage}'
  }
  {
    name: 'vault'
    resourceId: keyVaultId
    zone: 'privatelink.vaultcore.azure.net'
  }
]

resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = {
  name: 'vnet-oomr-${nameSuffix}'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: 'integration'
        properties: {
          addressPrefix: integrationPrefix
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'endpoints'
        properties: {
          addressPrefix: endpointsPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2020-06-01' = [for e in endpoints: {
  name: e.zone
  location: 'global'
  tags: tags
}]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = [for (e, i) in endpoints: {
  parent: zones[i]
  name: 'link-${nameSuffix}'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-01-01' = [for e in endpoints: {
  name: 'pe-oomr-${nameSuffix}-${e.name}'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: '${vnet.id}/subnets/endpoints'
    }
    privateLinkServiceConnections: [
      {
        name: e.name
        properties: {
          privateLinkServiceId: e.resourceId
          groupIds: [
            e.name
          ]
        }
      }
    ]
  }
}]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-01-01' = [for (e, i) in endpoints: {
  parent: privateEndpoints[i]
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: e.name
        properties: {
          privateDnsZoneId: zones[i].id
        }
      }
    ]
  }
}]

@description('Resource ID of the subnet the Function app integrates with.')
output integrationSubnetId string = '${vnet.id}/subnets/integration'
