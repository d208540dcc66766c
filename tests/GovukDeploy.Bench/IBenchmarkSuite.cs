namespace GovukDeploy.Bench;

/// <summary>A group of measurements. Suites are found by reflection, so adding one is adding a file.</summary>
public interface IBenchmarkSuite
{
    string Name { get; }
    void Run(BenchReport report);
}
