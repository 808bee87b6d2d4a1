#pragma once

#include "util/Result.h"

#include <QList>
#include <QPair>
#include <QString>

namespace anthology {

struct ExampleProjectOptions
{
    qint64 seed = 92;      // the synthetic data set's and the study's seed
    int respondents = 200; // synthetic respondents
    int questions = 4;     // synthetic Likert items SYNQ1_W92..
    int baselineUsers = 60; // respondents the QA and BIO baselines stand in for
};

struct ExampleProjectReport
{
    int backstories = 0;
    QString dataset;
    int respondents = 0;
    qint64 demographicsRun = 0;
    QList<QPair<QString, qint64>> studyRuns; // study label -> survey run id
    int requests = 0; // HTTP requests the demo server answered
};

// The project the quick start opens, with something in every tab: the example backstories, a
// synthetic ATP-like wave 92 (SYNTHETIC_W92, labelled synthetic), and a small study (QA, BIO,
// NA_greedy_QA_MCQ, NA_greedy_BIO, with the demographic survey of the backstories and their
// greedy match to the respondents on age, gender, region and party) whose answers come from DemoModel through DemoLlmServer and
// the real run engine. Every study run is named "demo-scripted/...", its model is
// "scripted-demo-model-not-an-llm", and every raw answer carries "[scripted demo answer, not
// an LLM]". The same options give the same numbers; needs a running QCoreApplication.
class ExampleProjectBuilder
{
public:
    static QString datasetName();
    static QString studyName();

    // Creates the project file at `path` (it must not exist) and fills it; on failure the
    // partly built file is removed again.
    static Result<ExampleProjectReport> create(const QString &path, const ExampleProjectOptions &options = {});

private:
    // `created` turns true once the file exists: from then on a failure may remove it.
    static Result<ExampleProjectReport> build(const QString &path, const ExampleProjectOptions &options,
                                              bool &created);
};

} // namespace anthology
