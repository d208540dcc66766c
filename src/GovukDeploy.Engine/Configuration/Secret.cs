namespace GovukDeploy.Configuration;

/// <summary>
/// A token or password. It never prints itself: ToString, debuggers and
/// serialisers see a mask, so a secret cannot leak into output or errors by accident.
/// </summary>
public sealed class Secret
{
    private readonly string _value;

    public Secret(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary>The secret itself, for the one place that sends it (an Authorization header).</summary>
    public string Reveal() => _value;

    public override string ToString() => "********";
}
