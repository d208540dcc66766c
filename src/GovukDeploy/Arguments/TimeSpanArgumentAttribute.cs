using System.Globalization;
using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>
/// For a TimeSpan parameter that is not a wait (Test-DeployWindow -Duration): refuses a bare number,
/// which PowerShell would read as ticks (-Duration 300 is 30 microseconds) or, as text, as days.
/// A TimeSpan, or text such as '00:30:00', passes through unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class TimeSpanArgumentAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        var bareNumber = value is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal
            || (value is string text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        if (bareNumber)
        {
            throw new ArgumentTransformationMetadataException(
                $"'{value}' is a bare number, which would be read as ticks or days. Give a TimeSpan, such as (New-TimeSpan -Minutes 30) or '00:30:00'.");
        }

        return inputData;
    }
}
