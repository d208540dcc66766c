namespace GovukDeploy.Sandbox.Hosting;

/// <summary>The server's own address, known only once Kestrel has bound its port; every absolute URL is built from it.</summary>
public sealed class SandboxUrls
{
    private string _base = "http://127.0.0.1/";

    /// <summary>e.g. http://127.0.0.1:5123/ (always ends in '/').</summary>
    public string Base
    {
        get => Volatile.Read(ref _base);
        set => Volatile.Write(ref _base, value.TrimEnd('/') + "/");
    }
}
