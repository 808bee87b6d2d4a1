#include "ProjectSession.h"
#include "RunsPanel.h"
#include "TempProject.h"
#include "llm/EndpointProfile.h"
#include "project/ProjectFile.h"
#include "run/RunStore.h"
#include "survey/SurveyTypes.h"

#include <QJsonDocument>
#include <QLabel>
#include <QTableView>
#include <QTest>

using namespace anthology;
using namespace anthology::ui;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// The Runs tab says where a run went: the base URL and the model id its short name became, as
// its engine recorded them in the run's config (not the config's api_provider, which a --profile
// URL replaces).
class TestRunsPanelEndpoint : public QObject
{
    Q_OBJECT

    TempProject m_dir;

private Q_SLOTS:
    void theSelectedRunShowsItsEndpoint()
    {
        const QString path = m_dir.path(u"endpoint.anthology"_s);
        {
            auto project = ProjectFile::create(path);
            QVERIFY(project);
            RunStore store(**project);
            RunInfo info;
            info.name = u"together"_s;
            info.kind = u"demographics"_s;
            info.config = u"{\"llm\":{\"api_provider\":\"localhost\",\"base_url\":\"\"}}"_s;
            info.programVersion = u"0.9.test"_s;
            info.status = u"completed"_s;
            auto id = store.createRun(info);
            QVERIFY(id);
            LlmParameters llm;
            llm.apiProvider = u"together.ai"_s;
            llm.baseUrl = u"http://127.0.0.1:8123/v1"_s;
            llm.modelName = u"llama-3-70b"_s;
            const Result<EndpointProfile> profile = EndpointProfile::fromParameters(llm);
            QVERIFY(profile);
            QVERIFY(store.recordEndpoint(*id, profile->describe()));
        }
        auto session = ProjectSession::open(path);
        QVERIFY(session);
        RunsPanel panel;
        panel.setSession(session->get());
        panel.show();
        auto *table = panel.findChild<QTableView *>(u"runTable"_s);
        QVERIFY(table);
        QTRY_VERIFY(table->model() && table->model()->rowCount() == 1);
        table->setCurrentIndex(table->model()->index(0, 0));
        auto *endpoint = panel.findChild<QLabel *>(u"runEndpoint"_s);
        QVERIFY(endpoint);
        QTRY_COMPARE(endpoint->text(),
                     u"http://127.0.0.1:8123/v1, model meta-llama/Meta-Llama-3-70B (model_name llama-3-70b; "
                     "provider together; key from $TOGETHER_API_KEY)"_s);
    }
};

QTEST_MAIN(TestRunsPanelEndpoint)
#include "TestRunsPanelEndpoint.moc"
