# Runs before the examples of a help page, in a fresh pwsh with private folders (configuration,
# store and cache): the module is imported, the sandbox's applications are in the catalogue, the
# working folder is a scratch folder, and any failure stops the run. Examples that need GitHub
# or Jenkins start the sandbox themselves, as a user would.
Import-Module $ModulePath
$ErrorActionPreference = 'Stop'
$ConfirmPreference = 'None'
Set-Location $env:GOVUK_DEPLOY_TEST_ROOT
$null = New-Application -Name 'contacts-admin' -DeployName 'contacts' -Team '#govuk-publishing-tech'
$null = New-Application -Name 'whitehall' -Team '#govuk-publishing-tech'
$null = New-Application -Name 'frontend' -Team '#govuk-frontenders'
