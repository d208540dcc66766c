# Output that scripts can read (issue 13): ConvertTo-Json of every output type writes words for
# the module's enums (no -EnumsAsStrings needed), and every duration also as a number of seconds.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    Use-Environment $isolated { Import-Module (Get-TestModulePath) -Force }
    # Every type any cmdlet declares in [OutputType], found by reflection.
    $script:outputTypes = Get-Command -Module GovukDeploy |
        ForEach-Object { $_.OutputType.Type } |
        Where-Object { $_ -and $_.Namespace -like 'GovukDeploy*' } |
        Sort-Object FullName -Unique |
        ForEach-Object { @{ Name = $_.FullName; Type = $_ } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    Use-Environment $isolated { Import-Module (Get-TestModulePath) -Force }

    function New-SampleValue([type] $Type, [int] $Depth) {
        # A value of $Type with every property filled in, enums at their last (non-zero) member so
        # that a number could not pass for the first name.
        $nullable = [Nullable]::GetUnderlyingType($Type)
        if ($nullable) { $Type = $nullable }
        if ($Type.IsEnum) { $members = [Enum]::GetValues($Type); return $members[$members.Length - 1] }
        if ($Type -eq [string]) { return 'sample' }
        if ($Type -eq [bool]) { return $true }
        if ($Type -in [int], [long], [double]) { return [Convert]::ChangeType(7, $Type) }
        if ($Type -eq [DateTimeOffset]) { return [DateTimeOffset]::new(2026, 3, 2, 10, 30, 0, [TimeSpan]::Zero) }
        if ($Type -eq [TimeSpan]) { return [TimeSpan]::FromSeconds(108.4) }
        if ($Type -eq [DateOnly]) { return [DateOnly]::new(2026, 12, 25) }
        if ($Type.IsArray -or ($Type.IsGenericType -and $Type.GetGenericTypeDefinition() -in [Collections.Generic.IReadOnlyList`1], [Collections.Generic.IEnumerable`1])) {
            $elementType = if ($Type.IsArray) { $Type.GetElementType() } else { $Type.GetGenericArguments()[0] }
            $array = [Array]::CreateInstance($elementType, 1)
            $array[0] = New-SampleValue $elementType ($Depth + 1)
            return , $array
        }
        if ($Type.IsGenericType -and $Type.GetGenericTypeDefinition() -eq [Collections.Generic.IReadOnlyDictionary`2]) {
            $dictionary = [Activator]::CreateInstance([Collections.Generic.Dictionary`2].MakeGenericType($Type.GetGenericArguments()))
            $dictionary.Add((New-SampleValue $Type.GetGenericArguments()[0] ($Depth + 1)), (New-SampleValue $Type.GetGenericArguments()[1] ($Depth + 1)))
            return , $dictionary
        }
        if ($Depth -gt 4) { return $null }
        $instance = [Activator]::CreateInstance($Type)
        foreach ($property in $Type.GetProperties([Reflection.BindingFlags] 'Public, Instance')) {
            if ($property.GetSetMethod($true) -and $property.GetIndexParameters().Count -eq 0) {
                $property.SetValue($instance, (New-SampleValue $property.PropertyType ($Depth + 1)))
            }
        }
        $instance
    }

    function Find-UnreadableJson($Value, $Json, [string] $Path, [Collections.Generic.List[string]] $Problems, [ref] $Checked) {
        # Walks the object and what ConvertFrom-Json made of it side by side: each of the module's
        # enums must have come back as its name, and each TimeSpan must have a <Name>Seconds number.
        foreach ($property in $Value.GetType().GetProperties([Reflection.BindingFlags] 'Public, Instance')) {
            if ($property.GetIndexParameters().Count -gt 0) { continue }
            $item = $property.GetValue($Value)
            $written = $Json.($property.Name)
            $where = "$Path.$($property.Name)"
            if ($null -eq $item) { continue }
            if ($item -is [Enum]) {
                $Checked.Value++
                if ($written -isnot [string] -or $written -ne $item.ToString()) { $Problems.Add("$where was written as '$written', not '$item'") }
            } elseif ($item -is [TimeSpan]) {
                $seconds = $Json.("$($property.Name)Seconds")
                $Checked.Value++
                if ($seconds -isnot [double] -and $seconds -isnot [long]) { $Problems.Add("$where has no $($property.Name)Seconds number") }
                elseif ([Math]::Abs($seconds - $item.TotalSeconds) -gt 0.001) { $Problems.Add("$($where)Seconds is $seconds, not $($item.TotalSeconds)") }
            } elseif ($item -is [Array]) {
                for ($i = 0; $i -lt $item.Length; $i++) {
                    if ($item[$i] -is [Enum]) {
                        $Checked.Value++
                        if (@($written)[$i] -ne $item[$i].ToString()) { $Problems.Add("$where[$i] was written as '$(@($written)[$i])'") }
                    } elseif ($null -ne $item[$i] -and $item[$i].GetType().Namespace -like 'GovukDeploy*') {
                        Find-UnreadableJson $item[$i] @($written)[$i] "$where[$i]" $Problems $Checked
                    }
                }
            } elseif ($item.GetType().Namespace -like 'GovukDeploy*') {
                Find-UnreadableJson $item $written $where $Problems $Checked
            }
        }
    }
}

Describe 'ConvertTo-Json of <Name>' -ForEach $outputTypes {
    It 'writes words for every enum and seconds for every duration, without -EnumsAsStrings' {
        $sample = New-SampleValue $Type 0
        $json = $sample | ConvertTo-Json -Depth 12 | ConvertFrom-Json
        $problems = [Collections.Generic.List[string]]::new()
        $checked = 0
        Find-UnreadableJson $sample $json $Name $problems ([ref] $checked)
        $problems | Should -BeNullOrEmpty
        # Types with neither an enum nor a duration anywhere have nothing to check; the others must have been seen.
        $hasEnumOrDuration = $Type.GetProperties().PropertyType | Where-Object { ([Nullable]::GetUnderlyingType($_) ?? $_).IsEnum -or ([Nullable]::GetUnderlyingType($_) ?? $_) -eq [TimeSpan] }
        if ($hasEnumOrDuration) { $checked | Should -BeGreaterThan 0 }
    }
}

Describe 'Typed values for scripts' {
    It 'keeps the enum type, so that comparing with a word still works' {
        $deployment = New-SampleValue (Get-Command Get-Deployment).OutputType[0].Type 0
        $deployment.Status | Should -BeOfType ([Enum])
        $deployment.Status -eq 'Aborted' | Should -BeTrue
        $deployment.Status -eq 'Succeeded' | Should -BeFalse
        ($deployment | ConvertTo-Json -Depth 5 | ConvertFrom-Json).Status | Should -BeExactly 'Aborted'
    }

    It 'has the members the types file used to add, as properties of the type itself' {
        $freezeType = (Get-Command Get-DeployFreeze).OutputType[0].Type
        $freezeType.GetProperty('State') | Should -Not -BeNullOrEmpty
        $freezeType.GetProperty('IsOverdue') | Should -Not -BeNullOrEmpty
        (Get-Command Get-GovukDeployConfiguration).OutputType[0].Type.GetProperty('IsSet') | Should -Not -BeNullOrEmpty
        Use-Environment $isolated { (Get-GovukDeployConfiguration)[0].IsSet } | Should -BeOfType ([bool])
    }
}
