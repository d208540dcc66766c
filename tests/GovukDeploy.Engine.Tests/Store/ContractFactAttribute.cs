using Xunit.Abstractions;
using Xunit.Sdk;

namespace GovukDeploy.Tests.Store;

/// <summary>
/// A fact of a contract written once in a base class and run by one subclass per backend
/// (<see cref="StoreContractTests"/>). The attribute sits on the base class's method, so whether
/// the backend is available is decided per subclass, at discovery: a subclass marked
/// <see cref="NeedsPostgresAttribute"/> reports each test as skipped, with the reason, when the
/// developer asked to leave PostgreSQL out. (xunit 2 has no skip from inside a running test.)
/// </summary>
[XunitTestCaseDiscoverer("GovukDeploy.Tests.Store.ContractFactDiscoverer", "GovukDeploy.Engine.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute;

public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var testClass = testMethod.TestClass.Class.ToRuntimeType();
        if (testClass.IsDefined(typeof(NeedsPostgresAttribute), inherit: true) && TestPostgres.SkipReason is { } reason)
        {
            return
            [
                new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                    discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason),
            ];
        }
        return base.Discover(discoveryOptions, testMethod, factAttribute);
    }
}
