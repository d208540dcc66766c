using System.Globalization;

namespace GovukDeploy.Sandbox.Hosting;

/// <summary>What the sandbox was asked to do on its command line.</summary>
public sealed class SandboxOptions
{
    public const int MaxGeneratedApps = 5000;

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>A GOV.UK catalogue file (applications.yml or repos.yml); null means the built-in seed.</summary>
    public string? SeedPath { get; set; }

    /// <summary>
    /// How many generated applications (app-001, app-002, ...) to seed as well as the built-in or
    /// catalogue seed: about ten Deploy_App builds each, for benchmarks of reading history.
    /// </summary>
    public int GeneratedApps { get; set; }

    /// <summary>A bank-holidays.json in GOV.UK's format, served verbatim.</summary>
    public string? HolidaysPath { get; set; }

    /// <summary>How long a Deploy_App build takes.</summary>
    public double DeploySeconds { get; set; } = 3;

    /// <summary>How long a CI build (and Smokey) takes.</summary>
    public double CiSeconds { get; set; } = 1;

    /// <summary>How long a queue item waits (Jenkins' quiet period) before it becomes a build.</summary>
    public double QueueSeconds { get; set; } = 0.3;

    /// <summary>When false the server keeps running after its standard input closes.</summary>
    public bool WatchStdin { get; set; } = true;

    public static SandboxOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SandboxOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"Option {name} needs a value.");
                }
                return args[++i];
            }

            switch (name.ToLowerInvariant())
            {
                case "--port":
                    options.Port = ParseInt(name, Value(), 0, 65535);
                    break;
                case "--seed":
                    options.SeedPath = Value();
                    break;
                case "--generated-apps":
                    options.GeneratedApps = ParseInt(name, Value(), 0, MaxGeneratedApps);
                    break;
                case "--holidays":
                    options.HolidaysPath = Value();
                    break;
                case "--deploy-seconds":
                    options.DeploySeconds = ParseSeconds(name, Value());
                    break;
                case "--ci-seconds":
                    options.CiSeconds = ParseSeconds(name, Value());
                    break;
                case "--queue-seconds":
                    options.QueueSeconds = ParseSeconds(name, Value());
                    break;
                case "--ignore-stdin":
                    options.WatchStdin = false;
                    break;
                default:
                    throw new ArgumentException(
                        $"Unknown option '{name}'. Known options: --port N, --seed FILE, --generated-apps N, --holidays FILE, " +
                        "--deploy-seconds S, --ci-seconds S, --queue-seconds S, --ignore-stdin.");
            }
        }

        return options;
    }

    private static int ParseInt(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new ArgumentException($"Option {name} takes a whole number from {min} to {max}, not '{value}'.");
        }
        return n;
    }

    private static double ParseSeconds(string name, string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || s < 0 || double.IsNaN(s) || s > 86400)
        {
            throw new ArgumentException($"Option {name} takes a number of seconds from 0 to 86400, not '{value}'.");
        }
        return s;
    }
}
