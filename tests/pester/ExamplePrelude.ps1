# Runs before the examples of a help page, in a fresh pwsh with private folders:
# the module is imported and any failure stops the run.
Import-Module $ModulePath
$ErrorActionPreference = 'Stop'
$ConfirmPreference = 'None'
