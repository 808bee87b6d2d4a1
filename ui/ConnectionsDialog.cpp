#include "ConnectionsDialog.h"

#include "MessageBanner.h"
#include "llm/EndpointProbe.h"
#include "llm/EndpointProfile.h"
#include "pipeline/EndpointCheck.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

constexpr auto kDirsKey = "connections/configDirs";
constexpr int kFileRole = Qt::UserRole + 1;

QString optional(const std::optional<int> &v)
{
    return v ? QString::number(*v) : u"—"_s;
}

// Per million tokens, as providers quote them; the profile keeps them per thousand.
QString perMillion(const std::optional<double> &per1k)
{
    return per1k ? QString::number(*per1k * 1000.0, 'f', 2) : u"—"_s;
}

QString row(const QString &label, const QString &value)
{
    return u"<tr><td style='color:#555; padding-right:12px'>%1</td><td>%2</td></tr>"_s.arg(
        label.toHtmlEscaped(), value);
}

} // namespace

ConnectionsDialog::ConnectionsDialog(QWidget *parent)
    : QDialog(parent), m_list(new QTreeWidget(this)), m_banner(new MessageBanner(this)),
      m_details(new QLabel(this)), m_test(new QPushButton(tr("&Test Connection"), this)),
      m_result(new QLabel(this)), m_probe(new EndpointProbe(this))
{
    setObjectName(u"connectionsDialog"_s);
    setWindowTitle(tr("Connections"));
    m_list->setObjectName(u"profileList"_s);
    m_list->setHeaderLabels({tr("Profile"), tr("Folder"), tr("Model"), tr("Endpoint")});
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    m_details->setObjectName(u"profileDetails"_s);
    m_details->setTextFormat(Qt::RichText);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_test->setObjectName(u"testConnection"_s);
    m_result->setObjectName(u"testResult"_s);
    m_result->setTextFormat(Qt::RichText);
    m_result->setWordWrap(true);
    m_result->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *addDir = new QPushButton(tr("Add Config &Folder…"), this);
    addDir->setObjectName(u"addConfigFolder"_s);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_list, 1);
    leftLayout->addWidget(addDir, 0, Qt::AlignLeft);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(6, 0, 0, 0);
    rightLayout->addWidget(m_details);
    m_save = new QPushButton(tr("&Save to Project"), this);
    m_save->setObjectName(u"saveToProject"_s);
    m_save->setToolTip(tr("Copy this profile into the project's config folder, so it travels with the project"));
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_test);
    actions->addWidget(m_save);
    actions->addStretch(1);
    rightLayout->addLayout(actions);
    rightLayout->addWidget(m_result, 1);
    auto *split = new QSplitter(this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({700, 560});
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    resize(1280, 600);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(addDir, &QPushButton::clicked, this, &ConnectionsDialog::addFolder);
    connect(m_test, &QPushButton::clicked, this, &ConnectionsDialog::testConnection);
    connect(m_save, &QPushButton::clicked, this, [this]() { (void)saveToProject(); }); // the banner shows how it went
    connect(m_list, &QTreeWidget::currentItemChanged, this, &ConnectionsDialog::showCurrent);
    connect(m_probe, &EndpointProbe::stepStarted, this,
            [this](const QString &what) { m_result->setText(tr("Testing: %1…").arg(what.toHtmlEscaped())); });
    connect(m_probe, &EndpointProbe::finished, this, &ConnectionsDialog::showReport);
    setConfigDirs(savedConfigDirs());
}

ConnectionsDialog::~ConnectionsDialog() = default;

QStringList ConnectionsDialog::savedConfigDirs()
{
    return QSettings().value(QLatin1StringView(kDirsKey)).toStringList();
}

void ConnectionsDialog::setConfigDirs(const QStringList &dirs)
{
    m_dirs = dirs;
    rescan();
}

void ConnectionsDialog::setProjectConfigDir(const QString &dir)
{
    m_projectDir = dir;
    rescan();
}

Status ConnectionsDialog::saveToProject()
{
    const LlmProfileEntry *p = currentProfile();
    if (!p || m_projectDir.isEmpty())
        return Error::user(tr("open a project and choose a profile first"));
    const QString target = QDir(m_projectDir).filePath(u"llm_parameters/"_s + p->option + u".yaml"_s);
    QFile in(p->file);
    QSaveFile out(target);
    if (!in.open(QIODevice::ReadOnly) || !QDir().mkpath(QFileInfo(target).path()) ||
        !out.open(QIODevice::WriteOnly) || out.write(in.readAll()) < 0 || !out.commit()) {
        const Error e = Error::user(tr("cannot write %1: %2").arg(target, out.errorString()));
        m_banner->showMessage(e.message, MessageBanner::Level::Error);
        return e;
    }
    rescan();
    selectProfile(target);
    m_banner->showMessage(tr("Saved to the project as %1").arg(QDir::toNativeSeparators(target)),
                          MessageBanner::Level::Positive);
    return {};
}

void ConnectionsDialog::addFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a Config Folder"));
    if (dir.isEmpty() || m_dirs.contains(dir))
        return;
    m_dirs.append(dir);
    QSettings().setValue(QLatin1StringView(kDirsKey), m_dirs);
    rescan();
}

void ConnectionsDialog::rescan()
{
    const QString selected = currentProfile() ? currentProfile()->file : QString();
    QStringList dirs = m_dirs;
    if (!m_projectDir.isEmpty() && QFileInfo(m_projectDir).isDir())
        dirs.prepend(m_projectDir);
    m_profiles = LlmProfileCatalog::scan(dirs);
    m_list->clear();
    for (const LlmProfileEntry &p : std::as_const(m_profiles)) {
        // What the run would reach: the provider's URL, and how many servers when several.
        Result<EndpointProfile> resolved = EndpointProfile::fromParameters(p.parameters);
        QString endpoint = resolved ? resolved->displayUrl() : p.parameters.apiProvider;
        if (resolved && !resolved->mirrors.isEmpty())
            endpoint += tr(" (+%n more)", nullptr, int(resolved->mirrors.size()));
        // Several folders hold an option of the same name (surveys/, generate_backstory/): say which.
        const QString sub = QFileInfo(QDir(p.configDir).relativeFilePath(p.file)).path().section(u'/', 0, -2);
        const QString where = p.builtIn                    ? tr("built-in")
                              : p.configDir == m_projectDir ? tr("project")
                                                            : QDir::toNativeSeparators(p.configDir);
        const QString source = sub.isEmpty() || sub == "."_L1 ? where : u"%1 (%2)"_s.arg(sub, where);
        auto *item = new QTreeWidgetItem(
            m_list, {p.option, source, p.parameters.modelName, p.error ? tr("(unreadable)") : endpoint});
        item->setData(0, kFileRole, p.file);
        item->setToolTip(0, QDir::toNativeSeparators(p.file));
    }
    if (!selectProfile(selected) && m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    showCurrent();
}

bool ConnectionsDialog::selectProfile(const QString &file)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        if (!file.isEmpty() && m_list->topLevelItem(i)->data(0, kFileRole).toString() == file) {
            m_list->setCurrentItem(m_list->topLevelItem(i));
            return true;
        }
    }
    return false;
}

const LlmProfileEntry *ConnectionsDialog::currentProfile() const
{
    const int row = m_list->currentItem() ? m_list->indexOfTopLevelItem(m_list->currentItem()) : -1;
    return row >= 0 && row < m_profiles.size() ? &m_profiles[row] : nullptr;
}

void ConnectionsDialog::showCurrent()
{
    m_probe->cancel();
    m_result->clear();
    m_banner->dismiss();
    const LlmProfileEntry *p = currentProfile();
    m_test->setEnabled(p && !p->error);
    m_save->setEnabled(p && !p->error && !m_projectDir.isEmpty() && p->configDir != m_projectDir);
    if (!p) {
        m_details->setText(tr("No llm_parameters profiles found. Add a config folder."));
        return;
    }
    if (p->error) {
        m_details->clear();
        m_banner->showMessage(p->error->toString(), MessageBanner::Level::Error);
        return;
    }
    const LlmParameters &params = p->parameters;
    Result<EndpointProfile> profile = EndpointProfile::fromParameters(params);
    QString html = u"<table>"_s;
    html += row(tr("File"), QDir::toNativeSeparators(QDir(p->configDir).relativeFilePath(p->file)).toHtmlEscaped());
    if (profile) {
        html += row(tr("Provider"), profile->provider.toHtmlEscaped());
        QStringList urls{profile->displayUrl()};
        for (const EndpointMirror &m : std::as_const(profile->mirrors))
            urls.append(m.baseUrl.toString());
        html += row(tr("Base URL"), urls.join(u"<br>"_s));
        const QByteArray key = profile->apiKey();
        const QString keyState = profile->apiKeyEnv.isEmpty() ? tr("no key")
                                 : key.isEmpty()             ? tr("%1 (not set)").arg(profile->apiKeyEnv)
                                                             : tr("%1 (set)").arg(profile->apiKeyEnv);
        html += row(tr("Key variable"), keyState.toHtmlEscaped());
    } else {
        html += row(tr("Provider"), params.apiProvider.toHtmlEscaped());
    }
    html += row(tr("Model"), params.modelName.isEmpty() ? tr("(first the server lists)") : params.modelName.toHtmlEscaped());
    html += row(tr("Interface"), params.chat ? tr("chat completions") : tr("completions"));
    html += row(tr("Temperature"), QString::number(params.temperature));
    html += row(tr("Max tokens"), QString::number(params.maxTokens));
    html += row(tr("Requests / min"), optional(params.requestsPerMinute));
    html += row(tr("Tokens / min"), optional(params.tokensPerMinute));
    html += row(tr("Max in flight"), optional(params.maxInFlight));
    html += row(tr("Price / 1M prompt tokens"), perMillion(params.pricePer1kPromptTokens));
    html += row(tr("Price / 1M completion tokens"), perMillion(params.pricePer1kCompletionTokens));
    m_details->setText(html + u"</table>"_s);
    if (!profile)
        m_banner->showMessage(profile.error().toString(), MessageBanner::Level::Error);
}

void ConnectionsDialog::testConnection()
{
    const LlmProfileEntry *p = currentProfile();
    if (!p || p->error)
        return;
    m_banner->dismiss();
    m_result->clear();
    // The run's own refusals first: an unset key variable is named before anything is sent.
    if (Status st = checkEndpoint(p->parameters, u"llm_parameters"_s); !st) {
        m_banner->showMessage(st.error().message, MessageBanner::Level::Error);
        emit testFinished();
        return;
    }
    Result<EndpointProfile> profile = EndpointProfile::fromParameters(p->parameters);
    if (!profile) {
        m_banner->showMessage(profile.error().message, MessageBanner::Level::Error);
        emit testFinished();
        return;
    }
    m_test->setEnabled(false);
    m_probe->start(*profile, 30000);
}

void ConnectionsDialog::showReport()
{
    m_test->setEnabled(currentProfile() != nullptr);
    const EndpointProbeReport &r = m_probe->report();
    if (r.error) {
        m_result->clear();
        m_banner->showMessage(r.error->message, MessageBanner::Level::Error);
        emit testFinished();
        return;
    }
    auto verdict = [this](bool ok, const QString &detail) {
        return ok ? u"<span style='color:#2e7d32'>%1</span>"_s.arg(tr("accepted"))
                  : u"<span style='color:#b71c1c'>%1</span> %2"_s.arg(tr("not accepted"), detail.toHtmlEscaped());
    };
    QString html = u"<table>"_s;
    html += row(tr("Models"), r.models.isEmpty() ? tr("(not listed)") : r.models.join(u", "_s).toHtmlEscaped());
    html += row(tr("Latency"), tr("%1 ms (one-token request to %2)").arg(r.latencyMs).arg(r.model.toHtmlEscaped()));
    html += row(tr("n > 1"), verdict(r.nAccepted, r.nDetail));
    html += row(tr("Logprobs"), verdict(r.logprobsAccepted, r.logprobsDetail));
    m_result->setText(html + u"</table>"_s);
    m_banner->showMessage(tr("%1 answered.").arg(r.url), MessageBanner::Level::Positive);
    emit testFinished();
}

} // namespace anthology::ui
