using System.Collections;

namespace GovukDeploy.Sandbox.Jenkins;

/// <summary>
/// A JSON array whose elements are rendered only when read. A job's build list can run to
/// thousands; a ?tree= range then renders just the builds in its range.
/// Read it only under the Jenkins instance's lock, as it renders live builds.
/// </summary>
public sealed class LazyJsonList : IEnumerable<object?>
{
    private readonly Func<int, object?> _render;

    public LazyJsonList(int count, Func<int, object?> render)
    {
        Count = count;
        _render = render;
    }

    public int Count { get; }

    public object? this[int index] => _render(index);

    public IEnumerator<object?> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _render(i);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
