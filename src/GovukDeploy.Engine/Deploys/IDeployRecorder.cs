namespace GovukDeploy.Deploys;

/// <summary>Where a successful deploy is recorded besides our store (the Release app).</summary>
public interface IDeployRecorder
{
    /// <summary>Throws a GovukDeployException when the record could not be made.</summary>
    Task RecordDeploymentAsync(Application application, string version, string environment, CancellationToken cancellationToken);
}
