using System.Globalization;

namespace Fairlabel.Quality.Bench;

/// <summary>A crowd as the answers file `fairlabel aggregate` reads: item,worker,answer, grouped by item as an export is.</summary>
public static class CrowdFile
{
    public static void Write(CrowdAnswers answers, string path)
    {
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), bufferSize: 1 << 16);
        writer.Write("item,worker,answer\n");
        for (var a = 0; a < answers.AnswerCount; a++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"item-{answers.Items[a]:D6},worker-{answers.Workers[a]:D4},{answers.Labels[answers.Answers[a]]}\n"));
        }
    }
}
