using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GovukDeploy.Sandbox.Icinga;

/// <summary>
/// The part of Icinga 2's filter language the sandbox evaluates: string, number, boolean and null
/// literals, arrays, dotted names (service.vars.app, host.name, and the request's filter_vars), ==, !=,
/// &lt;, &gt;, &lt;=, &gt;=, in, !in, &amp;&amp;, ||, !, parentheses, and the functions match(pattern, text) (globs with * and ?)
/// and regex(pattern, text). Values only ever come from filter_vars or the objects: nothing in a value is
/// parsed as an expression.
/// </summary>
public sealed class IcingaFilter
{
    private static readonly Dictionary<string, object?> Constants = new(StringComparer.Ordinal)
    {
        ["ServiceOK"] = 0d, ["ServiceWarning"] = 1d, ["ServiceCritical"] = 2d, ["ServiceUnknown"] = 3d,
        ["HostUp"] = 0d, ["HostDown"] = 1d, ["StateTypeSoft"] = 0d, ["StateTypeHard"] = 1d,
    };

    private readonly Node _root;

    private IcingaFilter(Node root) => _root = root;

    /// <summary>Parses a filter; FormatException (with Icinga's kind of message) when it cannot.</summary>
    public static IcingaFilter Parse(string text)
    {
        var parser = new Parser(Lex(text));
        var root = parser.Expression();
        parser.ExpectEnd();
        return new IcingaFilter(root);
    }

    /// <summary>Whether the filter holds, with <paramref name="scope"/> naming the objects (service, host) and the filter_vars.</summary>
    public bool Matches(IReadOnlyDictionary<string, object?> scope) => Truthy(_root.Evaluate(scope));

    private static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        double d => d != 0,
        string s => s.Length > 0,
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (double x, double y) => x == y,
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (bool x, bool y) => x == y,
        _ => false,
    };

    private static int Compare(object? a, object? b) => (a, b) switch
    {
        (double x, double y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y),
        _ => throw new FormatException($"Error: Operands of type '{TypeName(a)}' and '{TypeName(b)}' cannot be compared."),
    };

    private static string TypeName(object? value) => value switch
    {
        null => "Empty",
        double => "Number",
        string => "String",
        bool => "Boolean",
        System.Collections.IList => "Array",
        _ => "Dictionary",
    };

    // ---------------------------------------------------------------- lexing

    private enum Kind { String, Number, Name, Symbol, End }

    private readonly record struct Token(Kind Kind, string Text);

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '"')
            {
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException("Error: syntax error, unterminated string literal");
                    }

                    var d = text[i++];
                    if (d == '"')
                    {
                        break;
                    }

                    if (d == '\\' && i < text.Length)
                    {
                        var e = text[i++];
                        value.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => e });
                        continue;
                    }

                    value.Append(d);
                }

                tokens.Add(new Token(Kind.String, value.ToString()));
            }
            else if (char.IsDigit(c))
            {
                var start = i;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Number, text[start..i]));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Name, text[start..i]));
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                if (two is "==" or "!=" or "<=" or ">=" or "&&" or "||")
                {
                    tokens.Add(new Token(Kind.Symbol, two));
                    i += 2;
                }
                else if ("()[],.!<>".Contains(c))
                {
                    tokens.Add(new Token(Kind.Symbol, c.ToString()));
                    i++;
                }
                else
                {
                    throw new FormatException($"Error: syntax error, unexpected '{c}'");
                }
            }
        }

        tokens.Add(new Token(Kind.End, ""));
        return tokens;
    }

    // ---------------------------------------------------------------- parsing

    private sealed class Parser(List<Token> tokens)
    {
        private int _at;

        private Token Peek => tokens[_at];

        public void ExpectEnd()
        {
            if (Peek.Kind != Kind.End)
            {
                throw new FormatException($"Error: syntax error, unexpected '{Peek.Text}'");
            }
        }

        public Node Expression() => Or();

        private Node Or()
        {
            var left = And();
            while (Accept("||"))
            {
                var right = And();
                var l = left;
                left = new Node(s => Truthy(l.Evaluate(s)) || Truthy(right.Evaluate(s)));
            }

            return left;
        }

        private Node And()
        {
            var left = Not();
            while (Accept("&&"))
            {
                var right = Not();
                var l = left;
                left = new Node(s => Truthy(l.Evaluate(s)) && Truthy(right.Evaluate(s)));
            }

            return left;
        }

        private Node Not()
        {
            if (Peek is { Kind: Kind.Symbol, Text: "!" } && !(tokens[_at + 1] is { Kind: Kind.Name, Text: "in" }))
            {
                _at++;
                var inner = Not();
                return new Node(s => !Truthy(inner.Evaluate(s)));
            }

            return Comparison();
        }

        private Node Comparison()
        {
            var left = Primary();
            if (Peek.Kind == Kind.Symbol && Peek.Text is "==" or "!=" or "<" or ">" or "<=" or ">=")
            {
                var op = tokens[_at++].Text;
                var right = Primary();
                return op switch
                {
                    "==" => new Node(s => Same(left.Evaluate(s), right.Evaluate(s))),
                    "!=" => new Node(s => !Same(left.Evaluate(s), right.Evaluate(s))),
                    "<" => new Node(s => Compare(left.Evaluate(s), right.Evaluate(s)) < 0),
                    ">" => new Node(s => Compare(left.Evaluate(s), right.Evaluate(s)) > 0),
                    "<=" => new Node(s => Compare(left.Evaluate(s), right.Evaluate(s)) <= 0),
                    _ => new Node(s => Compare(left.Evaluate(s), right.Evaluate(s)) >= 0),
                };
            }

            var negated = Peek is { Kind: Kind.Symbol, Text: "!" } && tokens[_at + 1] is { Kind: Kind.Name, Text: "in" };
            if (negated || Peek is { Kind: Kind.Name, Text: "in" })
            {
                _at += negated ? 2 : 1;
                var right = Primary();
                return new Node(s =>
                {
                    var list = right.Evaluate(s) as IEnumerable<object?> ?? throw new FormatException("Error: Invalid right side argument for 'in' operator: it must be an Array.");
                    var value = left.Evaluate(s);
                    return list.Any(item => Same(item, value)) != negated;
                });
            }

            return left;
        }

        private Node Primary()
        {
            var token = tokens[_at++];
            switch (token.Kind)
            {
                case Kind.String:
                    return new Node(_ => token.Text);
                case Kind.Number:
                    var number = double.Parse(token.Text, CultureInfo.InvariantCulture);
                    return new Node(_ => number);
                case Kind.Symbol when token.Text == "(":
                    var inner = Expression();
                    Expect(")");
                    return inner;
                case Kind.Symbol when token.Text == "[":
                    var items = new List<Node>();
                    if (!Accept("]"))
                    {
                        do
                        {
                            items.Add(Expression());
                        }
                        while (Accept(","));
                        Expect("]");
                    }

                    return new Node(s => items.Select(n => n.Evaluate(s)).ToList());
                case Kind.Name when token.Text is "true" or "false":
                    var flag = token.Text == "true";
                    return new Node(_ => flag);
                case Kind.Name when token.Text == "null":
                    return new Node(_ => null);
                case Kind.Name when Peek is { Kind: Kind.Symbol, Text: "(" }:
                    return Call(token.Text);
                case Kind.Name:
                    return Path(token.Text);
                default:
                    throw new FormatException($"Error: syntax error, unexpected '{(token.Kind == Kind.End ? "end of input" : token.Text)}'");
            }
        }

        private Node Path(string first)
        {
            var names = new List<string> { first };
            while (Accept("."))
            {
                var member = tokens[_at++];
                if (member.Kind != Kind.Name)
                {
                    throw new FormatException($"Error: syntax error, unexpected '{member.Text}'");
                }

                names.Add(member.Text);
            }

            return new Node(scope =>
            {
                object? value;
                if (scope.TryGetValue(first, out var found))
                {
                    value = found;
                }
                else if (!Constants.TryGetValue(first, out value))
                {
                    throw new FormatException($"Error: Tried to access undefined script variable '{first}'");
                }

                foreach (var name in names.Skip(1))
                {
                    // A missing key in a dictionary is null, as in Icinga.
                    value = value is IReadOnlyDictionary<string, object?> dictionary ? dictionary.GetValueOrDefault(name) : null;
                }

                return Normalise(value);
            });
        }

        /// <summary>Numbers of any CLR type compare as Icinga's one number type.</summary>
        private static object? Normalise(object? value) => value switch
        {
            int i => (double)i,
            long l => (double)l,
            float f => (double)f,
            decimal d => (double)d,
            _ => value,
        };

        private Node Call(string name)
        {
            Expect("(");
            var arguments = new List<Node>();
            if (!Accept(")"))
            {
                do
                {
                    arguments.Add(Expression());
                }
                while (Accept(","));
                Expect(")");
            }

            if (name is not ("match" or "regex") || arguments.Count != 2)
            {
                throw new FormatException($"Error: the sandbox's Icinga knows match(pattern, text) and regex(pattern, text), not {name}() with {arguments.Count} argument(s)");
            }

            return new Node(s =>
            {
                if (arguments[0].Evaluate(s) is not string pattern)
                {
                    throw new FormatException($"Error: the pattern given to {name}() must be a String");
                }

                var text = arguments[1].Evaluate(s);
                if (text is not string value)
                {
                    return false;
                }

                var regex = name == "regex" ? pattern : "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
                return Regex.IsMatch(value, regex, RegexOptions.None, TimeSpan.FromSeconds(1));
            });
        }

        private bool Accept(string symbol)
        {
            if (Peek.Kind == Kind.Symbol && Peek.Text == symbol)
            {
                _at++;
                return true;
            }

            return false;
        }

        private void Expect(string symbol)
        {
            if (!Accept(symbol))
            {
                throw new FormatException($"Error: syntax error, expected '{symbol}' but found '{(Peek.Kind == Kind.End ? "end of input" : Peek.Text)}'");
            }
        }
    }

    private sealed class Node(Func<IReadOnlyDictionary<string, object?>, object?> evaluate)
    {
        public object? Evaluate(IReadOnlyDictionary<string, object?> scope) => evaluate(scope);
    }
}
