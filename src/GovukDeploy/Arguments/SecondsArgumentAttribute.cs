using System.Globalization;
using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>
/// Lets a whole-seconds parameter (-TimeoutSec, as Invoke-WebRequest takes it) also take a TimeSpan,
/// read as what it says: -TimeoutSec (New-TimeSpan -Minutes 5) is 300 seconds, and so are -TimeoutSec '00:05:00'
/// and -TimeoutSec 300. A part second rounds up, so that a wait is never shorter than asked.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class SecondsArgumentAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is string text && text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }

        if (value is not TimeSpan span)
        {
            return inputData;
        }

        var seconds = Math.Ceiling(span.TotalSeconds);
        // Out-of-range values stay out of range, for the parameter's own validation to refuse.
        return seconds > int.MaxValue ? int.MaxValue : seconds < int.MinValue ? int.MinValue : (int)seconds;
    }
}
