using Hl7.Fhir.Model;

namespace Gosuslugi.Health.Fhir;

/// <summary>One problem of a submitted resource: its FHIRPath ("Encounter.subject.identifier.value"), a Russian text.</summary>
/// <param name="Diagnostics">The SDK's own (English) message, when the SDK found the problem.</param>
public sealed record FhirIssue(string Expression, string Message, OperationOutcome.IssueType Code = OperationOutcome.IssueType.Invalid,
    string? Diagnostics = null);

/// <summary>
/// Everything wrong with a submitted resource or Bundle: the SDK's deserialization issues and the profile's own rules,
/// collected so that the sender sees all of them at once. Paths are relative to <see cref="Root"/> (the resource type,
/// or "Bundle.entry[2].resource" inside a transaction).
/// </summary>
public sealed class FhirIssues
{
    private readonly List<FhirIssue> _issues;

    public FhirIssues(string root) : this(root, []) { }

    private FhirIssues(string root, List<FhirIssue> issues)
    {
        Root = root;
        _issues = issues;
    }

    /// <summary>The FHIRPath every <see cref="Add"/> path is relative to.</summary>
    public string Root { get; }

    public bool Any => _issues.Count > 0;

    public IReadOnlyList<FhirIssue> All => _issues;

    /// <summary>A view that adds under <paramref name="root"/> into the same list (an entry of a Bundle).</summary>
    public FhirIssues Under(string root) => new(root, _issues);

    /// <summary>A problem at <paramref name="path"/> relative to <see cref="Root"/> ("" is the resource itself).</summary>
    public void Add(string path, string message, OperationOutcome.IssueType code = OperationOutcome.IssueType.Invalid) =>
        AddAt(path.Length == 0 ? Root : Root + "." + path, message, code);

    /// <summary>A problem at an absolute FHIRPath; the same message at the same place is kept once.</summary>
    public void AddAt(string expression, string message, OperationOutcome.IssueType code = OperationOutcome.IssueType.Invalid,
        string? diagnostics = null)
    {
        if (_issues.Any(i => i.Expression == expression && i.Message == message)) return;
        _issues.Add(new FhirIssue(expression, message, code, diagnostics));
    }

    /// <summary>Whether a problem is already named at <paramref name="path"/> or inside it (relative to <see cref="Root"/>).</summary>
    public bool Has(string path)
    {
        var expression = path.Length == 0 ? Root : Root + "." + path;
        return _issues.Any(i => i.Expression == expression || i.Expression.StartsWith(expression + ".", StringComparison.Ordinal)
            || i.Expression.StartsWith(expression + "[", StringComparison.Ordinal));
    }

    public OperationOutcome ToOperationOutcome() => FhirOutcomes.Of(_issues);
}
