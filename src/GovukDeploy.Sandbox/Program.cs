using System.Text.Json;
using GovukDeploy.Sandbox.Hosting;

// The sandbox's entry point: parse options, start, print one JSON line, run until
// SIGTERM, Ctrl+C or the end of standard input (so it dies with the shell that started it).

SandboxOptions options;
try
{
    options = SandboxOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

SandboxServer server;
try
{
    server = await SandboxServer.StartAsync(options);
}
catch (Exception e) when (e is IOException or InvalidDataException or YamlDotNet.Core.YamlException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine($"The sandbox could not start: {e.Message}");
    return 1;
}

await using (server)
{
    var stdout = Console.Out;
    stdout.WriteLine(JsonSerializer.Serialize(server.ReadyInfo(), Wire.Json));
    stdout.Flush();

    if (options.WatchStdin)
    {
        var watcher = new Thread(() =>
        {
            try
            {
                using var stdin = Console.OpenStandardInput();
                var buffer = new byte[256];
                while (stdin.Read(buffer, 0, buffer.Length) > 0)
                {
                }
            }
            catch (IOException)
            {
            }
            server.Lifetime.StopApplication();
        })
        {
            IsBackground = true,
            Name = "stdin watcher",
        };
        watcher.Start();
    }

    await server.WaitForShutdownAsync();
}
return 0;
