// Partnership Board on Azure: the Azure Bot (Teams channel), the bot on App Service (Linux, Node 22
// LTS), Application Insights, and a Key Vault holding every secret, which the app reads through
// Key Vault references with its own user-assigned identity. Deploy into a resource group:
//   az deployment group create -g <group> -f infra/azure/main.bicep -p @infra/azure/main.parameters.json
// infra/README.md walks a council's admin through it, and through the SharePoint grant.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

@description('Short name for the deployment, used in every resource name: lowercase letters, digits and hyphens.')
@minLength(3)
@maxLength(18)
param name string

@description('Azure region for everything but the bot registration (which is global).')
param location string = resourceGroup().location

@description('How the bot proves who it is: SingleTenant (an app registration with a client secret) or UserAssignedMSI (the managed identity this template creates; no secret at all).')
@allowed([
  'SingleTenant'
  'UserAssignedMSI'
])
param botIdentity string = 'SingleTenant'

@description('SingleTenant only: the app registration\'s Application (client) ID. It is the bot\'s id and the Graph client.')
param botAppId string = ''

@secure()
@description('SingleTenant only: a client secret of that app registration. Written to Key Vault as bot-app-password; leave empty to set the secret in Key Vault yourself.')
param botAppPassword string = ''

@description('The Entra tenant of the council (the bot is single-tenant).')
param tenantId string = subscription().tenantId

@description('The SharePoint site that holds the board\'s lists, e.g. https://contoso.sharepoint.com/sites/partnership-board.')
param sharePointSiteUrl string

@description('The board\'s name, shown on cards.')
param boardName string = 'Community Strategy Partnership Board'

@description('Officers: comma-separated Entra object ids or UPNs (the board\'s team owners count as officers too).')
param boardOfficers string = ''

@description('Chairs: comma-separated Entra object ids or UPNs.')
param boardChairs string = ''

@secure()
@description('The key (32+ characters) that keeps anonymous consultation answers anonymous and signs export links. Give it on the first deployment (e.g. openssl rand -base64 48); it is kept in Key Vault as consultation-secret, and later deployments may leave it empty. Never change it once consultations have answers.')
param consultationSecret string = ''

@description('The app registration the tab signs people in with (its Application ID URI is api://<botDomain>/<id>). Empty: the bot\'s own app registration (SingleTenant). Required for UserAssignedMSI, where the bot has no app registration.')
param tabSsoClientId string = ''

@secure()
@description('Optional: a shared secret (16+ characters) for POST /api/scheduler/run, for an external timer. Empty leaves the route off; the in-process scheduler runs either way.')
param schedulerSecret string = ''

@description('App Service plan size. B1 is enough for a board; P0v3 or above for more than one instance.')
param appServiceSku string = 'B1'

@description('Number of App Service instances. The bot keeps no state in memory, so more than one is safe.')
@minValue(1)
@maxValue(10)
param instanceCount int = 1

@description('Azure Bot pricing tier. F0 (free) covers Teams, a standard channel.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Log level of the bot (pino).')
@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
])
param logLevel string = 'info'

@description('Tags for every resource.')
param tags object = {}

// ---------------------------------------------------------------------------------------------
// Names and settings
// ---------------------------------------------------------------------------------------------

var suffix = uniqueString(resourceGroup().id, name)
var usesManagedIdentity = botIdentity == 'UserAssignedMSI'
var siteName = '${name}-${suffix}'
var keyVaultName = take('kv${suffix}${replace(name, '-', '')}', 24)
// Built-in role "Key Vault Secrets User": read secret values, nothing else.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var botPasswordSecretName = 'bot-app-password'
var schedulerSecretName = 'scheduler-secret'
var consultationSecretName = 'consultation-secret'
var botPasswordReference = '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${botPasswordSecretName})'
var schedulerSecretReference = '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${schedulerSecretName})'
var consultationSecretReference = '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${consultationSecretName})'

// App settings: what bot/config.ts reads. Secrets are Key Vault references only, never values.
var appSettingsCommon = {
  NODE_ENV: 'production'
  LOG_LEVEL: logLevel
  MicrosoftAppTenantId: tenantId
  SHAREPOINT_SITE_URL: sharePointSiteUrl
  BOARD_NAME: boardName
  BOARD_OFFICERS: boardOfficers
  BOARD_CHAIRS: boardChairs
  CONSULTATION_SECRET: consultationSecretReference
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  OTEL_SERVICE_NAME: 'partnership-board'
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
  WEBSITE_RUN_FROM_PACKAGE: '1'
}

// One app registration is the bot and the Graph client (Sites.Selected on the board's site).
var appSettingsSingleTenant = {
  MicrosoftAppType: 'SingleTenant'
  MicrosoftAppId: botAppId
  MicrosoftAppPassword: botPasswordReference
  AZURE_TENANT_ID: tenantId
  AZURE_CLIENT_ID: botAppId
  AZURE_CLIENT_SECRET: botPasswordReference
}

// The user-assigned identity is the bot and the Graph client; there is no secret to keep.
var appSettingsManagedIdentity = {
  MicrosoftAppType: 'UserAssignedMSI'
  MicrosoftAppId: identity.properties.clientId
  GRAPH_USE_MANAGED_IDENTITY: 'true'
  AZURE_CLIENT_ID: identity.properties.clientId
}

var appSettingsScheduler = {
  SCHEDULER_SECRET: schedulerSecretReference
}

// The tab's sign-on app, when it is not the bot's own registration.
var appSettingsTabSso = {
  TAB_SSO_CLIENT_ID: tabSsoClientId
}

var botProperties = {
  displayName: 'Partnership Board'
  endpoint: 'https://${site.properties.defaultHostName}/api/messages'
  msaAppId: usesManagedIdentity ? identity.properties.clientId : botAppId
  msaAppType: botIdentity
  msaAppTenantId: tenantId
}

var botManagedIdentityProperties = {
  msaAppMSIResourceId: identity.id
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${name}'
  location: location
  tags: tags
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${name}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${name}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
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
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!usesManagedIdentity && !empty(botAppPassword)) {
  parent: keyVault
  name: botPasswordSecretName
  properties: {
    value: botAppPassword
    contentType: 'Client secret of the bot\'s app registration'
  }
}

resource consultationSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(consultationSecret)) {
  parent: keyVault
  name: consultationSecretName
  properties: {
    value: consultationSecret
    contentType: 'Keys anonymous consultation answers and signs export links'
  }
}

resource schedulerSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(schedulerSecret)) {
  parent: keyVault
  name: schedulerSecretName
  properties: {
    value: schedulerSecret
    contentType: 'X-Scheduler-Secret for POST /api/scheduler/run'
  }
}

// The app reads its secrets with its own identity, and nothing else can through it.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: keyVault
  name: guid(keyVault.id, identity.id, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: siteName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'npm start'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: site
  name: 'appsettings'
  properties: union(appSettingsCommon, usesManagedIdentity ? appSettingsManagedIdentity : appSettingsSingleTenant, empty(tabSsoClientId) ? {} : appSettingsTabSso, empty(schedulerSecret) ? {} : appSettingsScheduler)
  // Key Vault references resolve only once the identity may read the secrets.
  dependsOn: [
    secretsUser
    botPasswordSecret
    consultationSecretValue
    schedulerSecretValue
  ]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: 'bot-${name}-${suffix}'
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: union(botProperties, usesManagedIdentity ? botManagedIdentityProperties : {})
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      enableCalling: false
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs: what `npm run package` and the SharePoint grant need
// ---------------------------------------------------------------------------------------------

@description('BOT_DOMAIN for npm run package: the host serving /api/messages and /tab.')
output botDomain string = site.properties.defaultHostName

@description('MicrosoftAppId for npm run package: the bot\'s id (the app registration, or the managed identity).')
output microsoftAppId string = usesManagedIdentity ? identity.properties.clientId : botAppId

@description('The Graph client that needs Sites.Selected on the board\'s site: the app registration\'s client id, or the managed identity\'s.')
output graphClientId string = usesManagedIdentity ? identity.properties.clientId : botAppId

@description('UserAssignedMSI: the managed identity\'s service principal (object) id, for the Graph app-role assignment.')
output identityPrincipalId string = identity.properties.principalId

output appServiceName string = site.name
output keyVaultName string = keyVault.name
output appInsightsName string = appInsights.name
output botResourceName string = bot.name
