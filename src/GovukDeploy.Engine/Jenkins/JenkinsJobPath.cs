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
            throw new GovukDeployException("InvalidJobName", ErrorKind.InvalidArgument,
                "The Jenkins job name is empty. Give a job name such as Deploy_App, or a folder path such as deploy/Deploy_App.", jobName);
        }

        // Escaping leaves '.' and '..' as they are, and in a URL they walk up the path.
        if (parts.Any(p => p is "." or ".."))
        {
            throw new GovukDeployException("InvalidJobName", ErrorKind.InvalidArgument,
                $"The Jenkins job name '{jobName}' has a '.' or '..' part. Give a job name such as Deploy_App, or a folder path such as deploy/Deploy_App.", jobName);
        }

        return string.Concat(parts.Select(p => "job/" + Uri.EscapeDataString(p) + "/"));
    }
}
