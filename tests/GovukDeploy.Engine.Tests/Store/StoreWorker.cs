using GovukDeploy.Store;

namespace GovukDeploy.Tests.Store;

/// <summary>
/// The test assembly's entry point, so that tests can run store work in other processes
/// (`dotnet GovukDeploy.Engine.Tests.dll &lt;mode&gt; ...`): several writers at once, or an
/// import that is killed half way. The test runner loads the assembly as a library and
/// never calls this.
/// </summary>
public static class StoreWorker
{
    public const string ImportUntilKilled = "import-until-killed";
    public const string Stress = "stress";
    public const string LockEntered = "StressLockEntered";
    public const string LockLeft = "StressLockLeft";

    public static int Main(string[] args)
    {
        try
        {
            return args switch
            {
                [ImportUntilKilled, var location, var count, var marker] => RunImportUntilKilled(location, int.Parse(count), marker).GetAwaiter().GetResult(),
                [Stress, var location, var worker, var rounds] => RunStress(location, worker, int.Parse(rounds)).GetAwaiter().GetResult(),
                _ => Usage(),
            };
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e);
            return 1;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine($"usage: {ImportUntilKilled} <store> <count> <marker-file> | {Stress} <store> <worker> <rounds>");
        return 2;
    }

    /// <summary>Imports <paramref name="count"/> apps, and half way through writes the marker and waits to be killed.</summary>
    private static async Task<int> RunImportUntilKilled(string location, int count, string marker)
    {
        await using var store = DeployStoreFactory.Open(location);
        var apps = Enumerable.Range(0, count).Select(i => new Application { Name = $"killed-{i:0000}", Repository = $"alphagov/killed-{i:0000}", DeployName = $"killed-{i:0000}" }).ToList();
        var batch = new PausingList(apps, count / 2, () =>
        {
            File.WriteAllText(marker, Environment.ProcessId.ToString());
            Thread.Sleep(Timeout.Infinite);
        });
        await store.UpsertApplicationsAsync(batch, "doomed");
        return 3; // never reached: the test kills the process first
    }

    /// <summary>One writer of the multi-process test: apps, freezes set and lifted, and a contended lock.</summary>
    private static async Task<int> RunStress(string location, string worker, int rounds)
    {
        await using var store = DeployStoreFactory.Open(location);
        for (var i = 0; i < rounds; i++)
        {
            await store.UpsertApplicationsAsync(
                [new Application { Name = $"p{worker}-{i}", Repository = $"alphagov/p{worker}-{i}", DeployName = $"p{worker}-{i}" },
                 new Application { Name = "shared", Repository = "alphagov/shared", DeployName = "shared", Team = $"#team-{worker}" }], $"worker-{worker}");
            await store.SetFreezesAsync([new FreezeRequest($"p{worker}-{i}", "production", "r", "c"), new FreezeRequest("shared", "production", worker, "c")], $"worker-{worker}");
            if (i % 2 == 0)
            {
                await store.LiftFreezesAsync([new FreezeTarget($"p{worker}-{i}")], $"worker-{worker}");
            }
            // Take the shared lock, prove nobody else holds it while we do, let it go.
            while (!(await store.TryAcquireLockAsync("shared", "production", $"worker-{worker}", TimeSpan.FromMinutes(5))).Acquired)
            {
                await Task.Delay(Random.Shared.Next(1, 10));
            }
            var holder = await store.GetLockAsync("shared", "production");
            if (holder?.Owner != $"worker-{worker}")
            {
                Console.Error.WriteLine($"worker-{worker} acquired the lock but {holder?.Owner} holds it");
                return 4;
            }
            // Enter and leave are logged while holding the lock: in the log they must alternate, worker by worker.
            await store.AppendAuditEventAsync(new AuditEntry($"worker-{worker}", LockEntered, $"round {i}", "shared", "production"));
            await Task.Delay(Random.Shared.Next(0, 5));
            await store.AppendAuditEventAsync(new AuditEntry($"worker-{worker}", LockLeft, $"round {i}", "shared", "production"));
            await store.ReleaseLockAsync("shared", "production", $"worker-{worker}");
        }
        return 0;
    }

    private sealed class PausingList(List<Application> items, int pauseAt, Action pause) : IReadOnlyList<Application>
    {
        public Application this[int index]
        {
            get
            {
                if (index == pauseAt)
                {
                    pause();
                }
                return items[index];
            }
        }

        public int Count => items.Count;
        public IEnumerator<Application> GetEnumerator() => Enumerable.Range(0, Count).Select(i => this[i]).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
