using GovukDeploy.Errors;

namespace GovukDeploy.Jenkins;

/// <summary>Turns a job name with folders ("a/b") into Jenkins' URL path ("job/a/job/b/").</summary>
public static class JenkinsJobPath
{
    public static string ToUrlPath(string jobName)
    {
        var parts = (jobName ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw ErrorCatalogue.InvalidJobName("The Jenkins job name", jobName);
        }

        // Escaping leaves '.' and '..' as they are, and in a URL they walk up the path.
        if (parts.Any(p => p is "." or ".."))
        {
            throw ErrorCatalogue.InvalidJobName("The Jenkins job name", jobName, "it has a '.' or '..' part, which would walk up the URL's path");
        }

        return string.Concat(parts.Select(p => "job/" + Uri.EscapeDataString(p) + "/"));
    }
}
