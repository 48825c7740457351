using System.Globalization;

namespace Fairlabel.Quality;

/// <summary>
/// The canonical order of answer labels: numeric when every label is a number, ordinal string
/// order otherwise. Fixing the order here (rather than first appearance) makes every result,
/// including majority-vote tie-breaking and ordinal agreement, independent of input row order.
/// </summary>
internal static class LabelOrder
{
    /// <summary>Returns <paramref name="labels"/> sorted canonically, and for each input position its new index.</summary>
    public static (string[] Sorted, int[] NewIndex) Canonical(IReadOnlyList<string> labels)
    {
        var order = new int[labels.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var numbers = new double[labels.Count];
        var allNumeric = true;
        for (var i = 0; i < labels.Count && allNumeric; i++)
        {
            allNumeric = TryParseNumber(labels[i], out numbers[i]);
        }

        if (allNumeric)
        {
            Array.Sort(order, (a, b) =>
            {
                var byValue = numbers[a].CompareTo(numbers[b]);
                return byValue != 0 ? byValue : string.CompareOrdinal(labels[a], labels[b]);
            });
        }
        else
        {
            Array.Sort(order, (a, b) => string.CompareOrdinal(labels[a], labels[b]));
        }

        var sorted = new string[order.Length];
        var newIndex = new int[order.Length];
        for (var rank = 0; rank < order.Length; rank++)
        {
            sorted[rank] = labels[order[rank]];
            newIndex[order[rank]] = rank;
        }

        return (sorted, newIndex);
    }

    public static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
