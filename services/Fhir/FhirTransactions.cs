using Hl7.Fhir.Model;

namespace Gosuslugi.Health.Fhir;

/// <summary>The entries of a transaction Bundle (POST [base]) as resources to create, each with its issues under its path.</summary>
public static class FhirTransactions
{
    /// <summary>More entries than this in one Bundle are refused: one request holds one database transaction.</summary>
    public const int MaxEntries = 1000;

    /// <summary>
    /// The entries' resources, each with <see cref="FhirIssues"/> rooted at "Bundle.entry[i].resource" (sharing the
    /// Bundle's list), after checking the Bundle itself: type transaction, at least one entry, each a POST of a resource
    /// of <paramref name="acceptedTypes"/> to its type ("request": {"method": "POST", "url": "Encounter"}).
    /// </summary>
    public static IReadOnlyList<(Resource Resource, FhirIssues Issues)> Entries(Bundle bundle, FhirIssues issues,
        IReadOnlyCollection<string> acceptedTypes)
    {
        if (bundle.Type is not Bundle.BundleType.Transaction && !issues.Has("type"))
        {
            issues.Add("type", "Принимается Bundle типа transaction.");
        }
        if (bundle.Entry.Count == 0 && !issues.Has("entry"))
        {
            issues.Add("entry", "Bundle должен содержать хотя бы один ресурс (entry).", OperationOutcome.IssueType.Required);
        }
        if (bundle.Entry.Count > MaxEntries)
        {
            issues.Add("entry", $"Bundle содержит больше {MaxEntries} ресурсов: разделите его.", OperationOutcome.IssueType.TooLong);
            return [];
        }

        var entries = new List<(Resource, FhirIssues)>();
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            var path = $"entry[{i}]";
            if (entry.Resource is not { } resource)
            {
                if (!issues.Has(path + ".resource")) issues.Add(path + ".resource", "Укажите ресурс.", OperationOutcome.IssueType.Required);
                continue;
            }
            var type = resource.TypeName;
            if (!acceptedTypes.Contains(type))
            {
                issues.Add(path + ".resource.resourceType", "Принимаются ресурсы FHIR R4: " + string.Join(", ", acceptedTypes) + ".",
                    OperationOutcome.IssueType.NotSupported);
                continue;
            }
            if (entry.Request is not { Method: Bundle.HTTPVerb.POST } request || request.Url?.Trim().TrimStart('/') != type)
            {
                if (!issues.Has(path + ".request"))
                {
                    issues.Add(path + ".request", $"Укажите запрос создания: \"request\": {{\"method\": \"POST\", \"url\": \"{type}\"}}.");
                }
            }
            entries.Add((resource, issues.Under($"{issues.Root}.{path}.resource")));
        }
        return entries;
    }

    /// <summary>A transaction-response entry: "201 Created" or "200 OK", where the stored item is, its version.</summary>
    public static Bundle.EntryComponent Response(bool created, string location, int version, DateTimeOffset lastModified) => new()
    {
        Response = new Bundle.ResponseComponent
        {
            Status = created ? "201 Created" : "200 OK",
            Location = location,
            Etag = $"W/\"{version}\"",
            LastModified = lastModified,
        },
    };
}
