#include "SearchCorpus.h"

#include "TempProject.h"
#include "backstories/BackstoryImporter.h"
#include "project/ProjectFile.h"

#include <QString>

using namespace Qt::StringLiterals;

namespace anthology::test {

namespace {

bool phrase(int i)
{
    return i % 7 == 0;
}
bool apart(int i)
{
    return i % 5 == 0;
}
bool far(int i)
{
    return i % 3 == 0 || i % 11 == 0;
}

template <typename Pred> int count(Pred pred)
{
    int n = 0;
    for (int i = 0; i < SearchCorpus::kSize; ++i)
        n += pred(i) ? 1 : 0;
    return n;
}

} // namespace

QByteArray SearchCorpus::csv()
{
    QString out = u"uid,backstory\n"_s;
    for (int i = 0; i < kSize; ++i) {
        QString text = u"Story %1 tells of ordinary days."_s.arg(i);
        if (phrase(i))
            text += u" When I grew up on the coast, mornings were loud."_s;
        else if (apart(i))
            text += u" I looked up at the sky and grew tomatoes."_s;
        if (i % 3 == 0)
            text += u" My family ran a farm."_s;
        if (i % 11 == 0)
            text += u" The school was farther than it looked."_s;
        if (i % 4 == 0)
            text += u" Friends visited from afar."_s; // "afar" must not match far*
        out += u"s%1,\"%2\"\n"_s.arg(i, 4, 10, QChar(u'0')).arg(text);
    }
    return out.toUtf8();
}

int SearchCorpus::phraseGrewUp()
{
    return count(phrase);
}

int SearchCorpus::grewAndUp()
{
    return count([](int i) { return phrase(i) || apart(i); });
}

int SearchCorpus::farPrefix()
{
    return count(far);
}

int SearchCorpus::phraseAndPrefix()
{
    return count([](int i) { return phrase(i) && far(i); });
}

QString SearchCorpus::createProject(const TempProject &dir)
{
    const QString path = dir.path(u"corpus.anthology"_s);
    auto project = ProjectFile::create(path);
    if (!project)
        return {};
    auto report = BackstoryImporter(**project).importFile(dir.writeFile(u"corpus.csv"_s, csv()));
    return report && report->imported == kSize ? path : QString();
}

} // namespace anthology::test
