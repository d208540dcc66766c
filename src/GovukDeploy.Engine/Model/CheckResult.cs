using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace GovukDeploy;

[JsonConverter(typeof(StringEnumConverter))]
public enum CheckKind
{
    Status,
    CheckRun,
}

/// <summary>One CI signal on a pull request's head commit: a commit status or a check run.</summary>
public sealed class CheckResult
{
    public required string Name { get; init; }
    public CheckKind Kind { get; init; }

    /// <summary>The signal folded to Pending, Success or Failure.</summary>
    public CiState State { get; init; }

    /// <summary>GitHub's own word for it (a status's state, or a check run's conclusion or status).</summary>
    public string? Detail { get; init; }
    public string? Url { get; init; }

    public override string ToString() => $"{Name}: {State}";
}
