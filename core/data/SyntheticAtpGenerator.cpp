#include "data/SyntheticAtpGenerator.h"

#include "util/SeededRandom.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

constexpr double kRefused = 99.0;

struct Demographic
{
    QString name;
    QString text;
    QStringList labels;      // codes 1..n
    std::vector<double> mix; // relative frequencies of the codes
};

// Pew renamed and recoded some demographics around 2020: up to then sex (two codes), income in
// nine brackets to $150,000+ and race in four groups; later waves ask gender (three codes),
// income in $10,000 steps to $100,000+ and race in five groups. Each wave's category map
// (configs/matching/atp_w<wave>.yaml) follows its layout, so the synthetic file does too.
constexpr int kFirstGenderWave = 80;

// Our own wording throughout; only the variable names and code layouts follow ATP's.
QList<Demographic> demographics(int wave)
{
    QList<Demographic> list{
        {u"F_AGECAT"_s,
         u"Age group of the respondent"_s,
         {u"18-29"_s, u"30-49"_s, u"50-64"_s, u"65+"_s},
         {21, 33, 25, 21}},
        {u"F_GENDER"_s,
         u"Gender the respondent describes themselves as"_s,
         {u"A man"_s, u"A woman"_s, u"Describes themselves another way"_s},
         {48, 50, 2}},
        {u"F_EDUCCAT2"_s,
         u"Highest level of schooling completed"_s,
         {u"Did not finish high school"_s, u"High school diploma"_s, u"Some college, no degree"_s,
          u"Two-year degree"_s, u"Four-year degree"_s, u"Graduate degree"_s},
         {9, 27, 20, 10, 20, 14}},
        {u"F_RACETHNMOD"_s,
         u"Race and ethnicity of the respondent"_s,
         {u"White, not Hispanic"_s, u"Black, not Hispanic"_s, u"Hispanic"_s, u"Other race, not Hispanic"_s,
          u"Asian, not Hispanic"_s},
         {62, 12, 16, 4, 6}},
        {u"F_INC_SDT1"_s,
         u"Household income last year"_s,
         {u"Under $30,000"_s, u"$30,000 to under $40,000"_s, u"$40,000 to under $50,000"_s,
          u"$50,000 to under $60,000"_s, u"$60,000 to under $70,000"_s, u"$70,000 to under $80,000"_s,
          u"$80,000 to under $90,000"_s, u"$90,000 to under $100,000"_s, u"$100,000 or more"_s},
         {20, 9, 8, 8, 7, 7, 6, 6, 29}},
        {u"F_CREGION"_s,
         u"Census region of residence"_s,
         {u"Northeast"_s, u"Midwest"_s, u"South"_s, u"West"_s},
         {17, 21, 38, 24}},
        {u"F_RELIG"_s,
         u"Religious affiliation"_s,
         {u"Protestant"_s, u"Roman Catholic"_s, u"Latter-day Saint"_s, u"Orthodox Christian"_s, u"Jewish"_s,
          u"Muslim"_s, u"Buddhist"_s, u"Hindu"_s, u"Atheist"_s, u"Agnostic"_s, u"Something else"_s,
          u"Nothing in particular"_s},
         {40, 20, 2, 1, 2, 1, 1, 1, 4, 5, 3, 20}},
        {u"F_PARTY_FINAL"_s,
         u"Party identification"_s,
         {u"Republican"_s, u"Democrat"_s, u"Independent"_s, u"Something else"_s},
         {27, 29, 30, 14}},
    };
    if (wave < kFirstGenderWave) {
        list[1] = {u"F_SEX"_s, u"Sex of the respondent"_s, {u"Male"_s, u"Female"_s}, {48, 52}};
        list[3] = {u"F_RACETHN"_s,
                   u"Race and ethnicity of the respondent"_s,
                   {u"White, not Hispanic"_s, u"Black, not Hispanic"_s, u"Hispanic"_s,
                    u"Other race, not Hispanic"_s},
                   {63, 12, 16, 9}};
        list[4] = {u"F_INCOME"_s,
                   u"Household income last year"_s,
                   {u"Under $10,000"_s, u"$10,000 to under $20,000"_s, u"$20,000 to under $30,000"_s,
                    u"$30,000 to under $40,000"_s, u"$40,000 to under $50,000"_s,
                    u"$50,000 to under $75,000"_s, u"$75,000 to under $100,000"_s,
                    u"$100,000 to under $150,000"_s, u"$150,000 or more"_s},
                   {8, 10, 10, 10, 9, 16, 12, 13, 12}};
    }
    return list;
}

const QStringList kTopics = {
    u"How much do you trust the information you get from local news outlets?"_s,
    u"How confident are you that public schools in your area prepare students well?"_s,
    u"How much do you think scientists act in the best interests of the public?"_s,
    u"How satisfied are you with the way things are going in your community?"_s,
    u"How much do you think your neighbors can be counted on to help each other?"_s,
    u"How much confidence do you have in your state government to handle emergencies?"_s,
    u"How well do you think large technology companies protect the data of their users?"_s,
    u"How much do you trust doctors to give you accurate advice about your health?"_s,
    u"How hopeful are you about the financial future of people your age?"_s,
    u"How much do you think ordinary people can influence decisions made by the government?"_s,
};

QStringList scale(int options)
{
    switch (options) {
    case 3:
        return {u"Not much"_s, u"Some"_s, u"A lot"_s};
    case 4:
        return {u"Not at all"_s, u"Not too much"_s, u"A fair amount"_s, u"A great deal"_s};
    default:
        return {u"Strongly disagree"_s, u"Somewhat disagree"_s, u"Neither agree nor disagree"_s,
                u"Somewhat agree"_s, u"Strongly agree"_s};
    }
}

double normal(SeededRandom &rng)
{
    const double u1 = 1.0 - rng.uniform(); // (0, 1]: log() stays finite
    const double u2 = rng.uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

int draw(SeededRandom &rng, const std::vector<double> &mix)
{
    double total = 0.0;
    for (double m : mix)
        total += m;
    double x = rng.uniform() * total;
    for (size_t i = 0; i < mix.size(); ++i) {
        x -= mix[i];
        if (x < 0.0)
            return static_cast<int>(i) + 1;
    }
    return static_cast<int>(mix.size());
}

Variable labelled(const QString &name, const QString &text, const QStringList &labels)
{
    Variable v;
    v.name = name;
    v.label = name + u". "_s + text;
    for (int i = 0; i < labels.size(); ++i)
        v.valueLabels.append({double(i + 1), {}, labels.at(i)});
    v.valueLabels.append({kRefused, {}, u"Refused"_s});
    v.missingValues.append(kRefused);
    return v;
}

} // namespace

SyntheticAtpGenerator::SyntheticAtpGenerator(SyntheticAtpOptions options) : m_options(options) {}

QStringList SyntheticAtpGenerator::itemNames() const
{
    QStringList names;
    for (int k = 1; k <= m_options.items; ++k)
        names.append(u"SYNQ%1_W%2"_s.arg(k).arg(m_options.wave));
    return names;
}

QStringList SyntheticAtpGenerator::demographicNames() const
{
    QStringList names;
    for (const Demographic &d : demographics(m_options.wave))
        names.append(d.name);
    return names;
}

Dataset SyntheticAtpGenerator::generate() const
{
    const int n = std::max(0, m_options.respondents);
    const auto rows = static_cast<size_t>(n);
    const std::uint64_t seed = m_options.seed;
    Dataset ds;
    ds.setFileLabel(u"Synthetic ATP-like data, wave %1"_s.arg(m_options.wave));
    ds.setRowCount(n);

    Variable key;
    key.name = u"QKEY"_s;
    key.label = u"QKEY. Respondent identifier"_s;
    const qsizetype keyColumn = ds.addVariable(key);
    for (size_t r = 0; r < rows; ++r)
        ds.numericColumnRef(keyColumn)[r] = 100001.0 + double(r);

    // Demographics; party shifts the latent attitude so subgroups differ as in real data.
    std::vector<int> party(rows, 0);
    for (const Demographic &d : demographics(m_options.wave)) {
        SeededRandom rng = SeededRandom::derive(seed, QString(u"demographic/"_s + d.name).toUtf8());
        const qsizetype c = ds.addVariable(labelled(d.name, d.text, d.labels));
        for (size_t r = 0; r < rows; ++r) {
            const int code = draw(rng, d.mix);
            const bool refused = rng.uniform() < m_options.refusedRate;
            ds.numericColumnRef(c)[r] = refused ? kRefused : double(code);
            if (d.name == "F_PARTY_FINAL"_L1)
                party[r] = refused ? 0 : code;
        }
    }

    Variable weight;
    weight.name = u"WEIGHT_W%1"_s.arg(m_options.wave);
    weight.label = weight.name + u". Survey weight for this wave"_s;
    const qsizetype wc = ds.addVariable(weight);
    {
        SeededRandom rng = SeededRandom::derive(seed, "weight");
        std::vector<double> &w = ds.numericColumnRef(wc);
        double sum = 0.0;
        for (size_t r = 0; r < rows; ++r) {
            w[r] = std::exp(0.45 * normal(rng));
            sum += w[r];
        }
        for (size_t r = 0; r < rows; ++r)
            w[r] = std::round(w[r] * double(n) / sum * 1e6) / 1e6;
    }
    (void)ds.setWeightVariable(weight.name);
    (void)ds.setKeyVariable(key.name);

    std::vector<double> latent(rows);
    {
        SeededRandom rng = SeededRandom::derive(seed, "latent");
        for (size_t r = 0; r < rows; ++r)
            latent[r] = normal(rng) + (party[r] == 1 ? -0.4 : party[r] == 2 ? 0.4 : 0.0);
    }
    const QStringList names = itemNames();
    for (int k = 0; k < m_options.items; ++k) {
        const int options = 3 + k % 3;
        const double loading = 0.55 + 0.05 * double(k % 4);
        const double noise = std::sqrt(1.0 - loading * loading);
        const QString &name = names.at(k);
        SeededRandom rng = SeededRandom::derive(seed, QString(u"item/"_s + name).toUtf8());
        const qsizetype c = ds.addVariable(labelled(name, kTopics.at(k % kTopics.size()), scale(options)));
        for (size_t r = 0; r < rows; ++r) {
            const double x = loading * latent[r] + noise * normal(rng);
            // Equal-width bins over [-2, 2] of the (roughly standard normal) response.
            const int bin =
                std::clamp(static_cast<int>(std::floor((x + 2.0) / 4.0 * options)), 0, options - 1);
            const bool refused = rng.uniform() < m_options.refusedRate;
            ds.numericColumnRef(c)[r] = refused ? kRefused : double(bin + 1);
        }
    }
    return ds;
}

} // namespace anthology
