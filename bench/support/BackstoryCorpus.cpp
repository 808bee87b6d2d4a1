#include "BackstoryCorpus.h"

#include "backstories/BackstoryImporter.h"
#include "project/ProjectFile.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace anthology::bench {

BackstoryCorpus::BackstoryCorpus() : m_random(20241)
{
    static const char *const syllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "te", "vi", "zo", "ba",
                                            "de", "fu", "gi", "ho", "ja", "ku", "le", "mo", "ni", "po",
                                            "ri", "su", "ta", "ve", "wo", "xi", "ya", "ze", "an", "el"};
    for (int i = 0; i < 20000; ++i) {
        QByteArray w;
        const int n = 1 + int(m_random.below(4));
        for (int k = 0; k < n; ++k)
            w += syllables[m_random.below(std::size(syllables))];
        m_words.append(w);
        m_total += 1.0 / (i + 1);
        m_cumulative.append(m_total);
    }
}

const QByteArray &BackstoryCorpus::draw()
{
    const double u = m_random.uniform() * m_total;
    const auto it = std::lower_bound(m_cumulative.begin(), m_cumulative.end(), u);
    return m_words[std::min<qsizetype>(it - m_cumulative.begin(), m_words.size() - 1)];
}

bool BackstoryCorpus::writeCsv(const QString &path, int count)
{
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return false;
    out.write("uid,backstory,full_passage,num_tokens,logprob,model\n");
    const QByteArray prompt = "Question: Tell me about yourself.\n\nAnswer:";
    for (int i = 0; i < count; ++i) {
        QByteArray text;
        const int target = 1300 + int(m_random.below(400));
        while (text.size() < target) {
            text += draw();
            const auto r = m_random.below(100);
            text += r < 6 ? ", " : r < 10 ? ". " : r < 11 ? "\n\n" : r < 12 ? " \"quoted\" " : " ";
        }
        QByteArray quoted = text;
        quoted.replace('"', "\"\"");
        out.write("u" + QByteArray::number(i) + ",\"" + quoted + "\",\"" + prompt + ' ' + quoted + "\"," +
                  QByteArray::number(30 + m_random.below(400)) + ",-" +
                  QByteArray::number(m_random.uniform() * 900) + ",bench-model\n");
    }
    return out.flush();
}

QString BackstoryCorpus::buildProject(const QString &dir, int count)
{
    QDir().mkpath(dir);
    const QString csv = QDir(dir).filePath(u"backstories.csv"_s);
    const QString path = QDir(dir).filePath(u"bench.anthology"_s);
    QFile::remove(path);
    BackstoryCorpus corpus;
    if (!corpus.writeCsv(csv, count)) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(csv));
        return {};
    }
    auto project = ProjectFile::create(path);
    if (!project) {
        std::fprintf(stderr, "%s\n", qPrintable(project.error().toString()));
        return {};
    }
    BackstoryImportOptions options;
    options.dropShort = false;
    if (auto report = BackstoryImporter(**project).importFile(csv, options); !report) {
        std::fprintf(stderr, "%s\n", qPrintable(report.error().toString()));
        return {};
    }
    return path;
}

} // namespace anthology::bench
