namespace GovukDeploy.Errors;

/// <summary>
/// How a failure should be classified. The names match PowerShell's
/// ErrorCategory values one for one, so the cmdlet layer maps them by name
/// while the engine stays free of PowerShell.
/// </summary>
public enum ErrorKind
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    InvalidType,
    ObjectNotFound,
    ResourceExists,
    ResourceBusy,
    ResourceUnavailable,
    ConnectionError,
    PermissionDenied,
    AuthenticationError,
    SecurityError,
    LimitsExceeded,
    OperationStopped,
    OperationTimeout,
    ReadError,
    WriteError,
    NotImplemented,
    NotInstalled,
    InvalidResult,
    DeadlockDetected,
    QuotaExceeded,
}

/// <summary>
/// Every failure the engine reports to a user. ErrorId is stable (scripts
/// match on it); the message says what was wrong and what to do about it;
/// Target is the offending value.
/// </summary>
public class GovukDeployException : Exception
{
    public GovukDeployException(string errorId, ErrorKind kind, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    public string ErrorId { get; }
    public ErrorKind Kind { get; }
    public object? Target { get; }

    /// <summary>Bad input (InvalidArgument), as opposed to a failure of the configuration, the store or a service.</summary>
    public bool IsInvalidArgument => Kind == ErrorKind.InvalidArgument;

    /// <summary>The same error (id and kind) told with more context; this one becomes its inner exception.</summary>
    public GovukDeployException Restated(string message, object? target) => new(ErrorId, Kind, message, target, this);
}
