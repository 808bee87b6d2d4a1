// Exports a 100,000-item survey run (10,000 personas x 10 questions, ~1 KB of request and
// response per item) in every answer format and reports the time and how much the process's
// peak resident memory grew during each export, read-only as the CLI exports (SQLite's page cache
// of 16 MB included): the streamed formats (long CSV, JSONL, wide CSV) stay flat whatever the
// run's size; the .sav holds one double per persona and question.
//
// Usage: answer_export [personas] [questions]   (defaults 10000 10)

#include "export/AnswerCsvExporter.h"
#include "export/AnswerJsonlExporter.h"
#include "export/AnswerSavExporter.h"
#include "project/ProjectFile.h"
#include "project/Transaction.h"
#include "run/RunStore.h"
#include "run/SurveyPlan.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <cstdio>
#include <functional>
#include <memory>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

// VmHWM / VmRSS of /proc/self/status in kB; writing 5 to clear_refs resets the high-water mark
// (Linux), so each export's own peak is measured.
long statusKb(const char *field)
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qsizetype(qstrlen(field))).trimmed().split(' ').first().toLong();
    return -1;
}

void resetPeak()
{
    QFile f(u"/proc/self/clear_refs"_s);
    if (f.open(QIODevice::WriteOnly))
        f.write("5");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int personas = argc > 1 ? QByteArray(argv[1]).toInt() : 10000;
    const int questions = argc > 2 ? QByteArray(argv[2]).toInt() : 10;
    QTemporaryDir dir;
    auto created = ProjectFile::create(dir.filePath(u"bench.anthology"_s));
    if (!created) {
        std::fprintf(stderr, "%s\n", qPrintable(created.error().toString()));
        return 1;
    }
    std::unique_ptr<ProjectFile> writer = std::move(*created);
    auto store = std::make_unique<RunStore>(*writer);

    SurveyPlan plan;
    plan.name = u"bench"_s;
    for (int q = 0; q < questions; ++q) {
        Question question;
        question.id = u"Q%1_W99"_s.arg(q + 1);
        question.body = u"How often do you do activity number %1?"_s.arg(q + 1);
        question.choices = {u"Often"_s, u"Sometimes"_s, u"Rarely"_s, u"Never"_s};
        plan.questionnaire.questions.append(question);
    }
    plan.llm.apiProvider = u"http://127.0.0.1:9/v1"_s;
    RunInfo info;
    info.name = plan.name;
    info.config = QString::fromUtf8(QJsonDocument(plan.toJson()).toJson());
    info.programVersion = u"bench"_s;
    const qint64 runId = *store->createRun(info);

    QElapsedTimer timer;
    timer.start();
    const QByteArray prompt = QByteArray(700, 'x');
    for (int p = 0; p < personas; p += 500) {
        QList<ItemResult> results;
        Transaction tx(writer->handle());
        for (int i = p; i < std::min(personas, p + 500); ++i) {
            for (int q = 0; q < questions; ++q) {
                PlannedItem item;
                item.persona = u"persona-%1"_s.arg(i, 6, 10, QLatin1Char('0'));
                item.question = plan.questionnaire.questions[q].id;
                item.position = q;
                ItemResult r;
                r.itemId = *store->insertItem(runId, item);
                r.ok = true;
                r.request = "{\"prompt\":\"" + prompt + "\",\"persona\":" + QByteArray::number(i) + '}';
                r.response = R"({"choices":[{"text":" B. It fits best.","finish_reason":"stop"}]})"_ba;
                r.rawAnswer = u" B. It fits best."_s;
                r.option = (i + q) % 5 == 4 ? -1 : (i + q) % 4;
                r.compliant = r.option >= 0;
                r.parsedAnswer = r.compliant ? plan.questionnaire.questions[q].choices[r.option] : QString();
                r.attempts = 1;
                results.append(r);
            }
        }
        if (!tx.commit())
            return 1;
        if (!store->commit(runId, results))
            return 1;
    }
    std::printf("planned and answered %d items in %.1f s; project %.1f MB\n", personas * questions,
                timer.elapsed() / 1000.0, QFileInfo(writer->path()).size() / 1e6);
    // Export as the CLI does: a read-only connection (16 MB page cache) next to a closed writer.
    const QString path = writer->path();
    store.reset();
    writer.reset();
    auto reader = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
    if (!reader)
        return 1;
    const ProjectFile &project = **reader;

    const QList<std::pair<const char *, std::function<Result<qint64>(const QString &)>>> formats{
        {"csv long", [&](const QString &f) { return AnswerCsvExporter::writeLong(project, runId, f); }},
        {"jsonl", [&](const QString &f) { return AnswerJsonlExporter::writeAnswers(project, runId, f); }},
        {"csv wide", [&](const QString &f) { return AnswerCsvExporter::writeWide(project, runId, f); }},
        {"sav", [&](const QString &f) { return AnswerSavExporter::write(project, runId, f); }},
    };
    int n = 0;
    for (const auto &[name, write] : formats) {
        const QString file = dir.filePath(u"out%1"_s.arg(++n));
        resetPeak();
        const long before = statusKb("VmRSS:");
        timer.restart();
        Result<qint64> rows = write(file);
        if (!rows) {
            std::fprintf(stderr, "%s: %s\n", name, qPrintable(rows.error().toString()));
            return 1;
        }
        std::printf("%-9s %7lld rows  %6.2f s  %7.1f MB  peak RSS +%.1f MB (peak %.1f MB)\n", name,
                    static_cast<long long>(*rows), timer.elapsed() / 1000.0, QFileInfo(file).size() / 1e6,
                    (statusKb("VmHWM:") - before) / 1024.0, statusKb("VmHWM:") / 1024.0);
    }
    return 0;
}
