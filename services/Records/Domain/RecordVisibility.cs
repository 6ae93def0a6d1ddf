using System.Linq.Expressions;

namespace Gosuslugi.Health.Records.Domain;

/// <summary>
/// Which of a patient's items a reader may see, in both forms every read needs: a query filter (so that history pages
/// are cut in PostgreSQL and come back full) and a test of one item already loaded. Visibility may depend on who wrote
/// the item — a section the patient hid "from everyone but the author" stays visible to the organization that wrote it —
/// which a plain set of hidden sections cannot express.
/// </summary>
public abstract class RecordVisibility
{
    private RecordVisibility()
    {
    }

    /// <summary>Everything is visible (the patient, a representative with a full delegation).</summary>
    public static RecordVisibility Everything { get; } = new Unrestricted();

    /// <summary>Nothing is visible (an organization refused the whole record).</summary>
    public static RecordVisibility Nothing { get; } = new Refused();

    /// <summary>
    /// Items any of whose sections is in <paramref name="hiddenSections"/> are hidden, whoever wrote them (a limited
    /// delegation); null or empty hides nothing.
    /// </summary>
    public static RecordVisibility HidingSections(IReadOnlySet<string>? hiddenSections) =>
        hiddenSections is { Count: > 0 } ? new SectionsHidden(hiddenSections) : Everything;

    /// <summary>
    /// What one organization may see: <paramref name="hiddenInOwn"/> is hidden in the items it wrote itself,
    /// <paramref name="hiddenInOthers"/> in items any other organization wrote.
    /// </summary>
    public static RecordVisibility ForOrganization(Guid organizationId, IReadOnlySet<string> hiddenInOwn,
        IReadOnlySet<string> hiddenInOthers)
    {
        if (hiddenInOwn.SetEquals(hiddenInOthers)) return HidingSections(hiddenInOwn);
        return new AuthorDependent(organizationId, hiddenInOwn, hiddenInOthers);
    }

    /// <summary>True when nothing is hidden: reads may skip the filter (and its joins) altogether.</summary>
    public virtual bool ShowsEverything => false;

    /// <summary>The items that may be seen, as a query filter PostgreSQL evaluates (array overlap on the sections).</summary>
    public abstract Expression<Func<RecordItem, bool>> Filter { get; }

    /// <summary>
    /// The section that hides an item written by <paramref name="writtenBy"/> with <paramref name="sections"/> (the
    /// first hidden one, what a refusal is logged under); null when the item is visible.
    /// </summary>
    public abstract string? HiddenSectionOf(Guid writtenBy, IReadOnlyCollection<string> sections);

    /// <summary>True when the item written by <paramref name="writtenBy"/> with <paramref name="sections"/> is hidden.</summary>
    public bool Hides(Guid writtenBy, IReadOnlyCollection<string> sections) => HiddenSectionOf(writtenBy, sections) is not null;

    /// <summary>True when <paramref name="item"/> is hidden.</summary>
    public bool Hides(RecordItem item) => Hides(item.OrganizationId, item.Sections);

    private sealed class Unrestricted : RecordVisibility
    {
        public override bool ShowsEverything => true;
        public override Expression<Func<RecordItem, bool>> Filter { get; } = _ => true;
        public override string? HiddenSectionOf(Guid writtenBy, IReadOnlyCollection<string> sections) => null;
    }

    private sealed class Refused : RecordVisibility
    {
        public override Expression<Func<RecordItem, bool>> Filter { get; } = _ => false;

        public override string? HiddenSectionOf(Guid writtenBy, IReadOnlyCollection<string> sections) =>
            sections.FirstOrDefault() ?? "history";
    }

    private sealed class SectionsHidden : RecordVisibility
    {
        private readonly IReadOnlySet<string> hidden;

        public SectionsHidden(IReadOnlySet<string> hidden)
        {
            this.hidden = hidden;
            // A captured array: PostgreSQL gets one parameter, NOT ("Sections" && @hidden).
            var sections = hidden.ToArray();
            Filter = i => !i.Sections.Any(s => sections.Contains(s));
        }

        public override Expression<Func<RecordItem, bool>> Filter { get; }

        public override string? HiddenSectionOf(Guid writtenBy, IReadOnlyCollection<string> sections) =>
            sections.FirstOrDefault(hidden.Contains);
    }

    private sealed class AuthorDependent : RecordVisibility
    {
        private readonly Guid author;
        private readonly IReadOnlySet<string> hiddenInOwn;
        private readonly IReadOnlySet<string> hiddenInOthers;

        public AuthorDependent(Guid author, IReadOnlySet<string> hiddenInOwn, IReadOnlySet<string> hiddenInOthers)
        {
            this.author = author;
            this.hiddenInOwn = hiddenInOwn;
            this.hiddenInOthers = hiddenInOthers;
            var own = hiddenInOwn.ToArray();
            var others = hiddenInOthers.ToArray();
            if (own.Length == 0)
            {
                Filter = i => i.OrganizationId == author || !i.Sections.Any(s => others.Contains(s));
            }
            else
            {
                Filter = i => i.OrganizationId == author
                    ? !i.Sections.Any(s => own.Contains(s))
                    : !i.Sections.Any(s => others.Contains(s));
            }
        }

        public override Expression<Func<RecordItem, bool>> Filter { get; }

        public override string? HiddenSectionOf(Guid writtenBy, IReadOnlyCollection<string> sections)
        {
            var hidden = writtenBy == author ? hiddenInOwn : hiddenInOthers;
            return sections.FirstOrDefault(hidden.Contains);
        }
    }
}
