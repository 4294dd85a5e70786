#include "sim/sweep/journal.hpp"

#include <unistd.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace continuum::sweep {
namespace {

using ::testing::HasSubstr;

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("continuum_journal_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = dir_ / "out.h5.journal";
    std::filesystem::remove(path_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static RunRecord record(std::uint32_t point, std::uint32_t replication) {
    RunRecord r;
    r.key = {point, 1, replication};
    r.seed = 0xfedcba9876543210ull + point;
    r.metrics.values.fill(1.0 / 3.0 + point);
    r.metrics[Metric::accuracy] = std::nan("");
    r.metrics.offered = 100;
    r.metrics.completed = 99;
    r.metrics.lost = 1;
    r.metrics.events = 12345;
    r.wall_time = 0.25;
    return r;
  }

  std::string contents() const {
    std::ifstream in(path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::filesystem::path dir_, path_;
  const JournalHeader header_{"0123456789abcdef", "0/1"};
};

TEST(RunRecordJson, RoundTripsEveryBitIncludingNaN) {
  RunRecord r;
  r.key = {3, 1, 4};
  r.seed = 18446744073709551615ull;
  for (std::size_t m = 0; m < metric_count; ++m)
    r.metrics.values[m] = std::nextafter(0.1 * static_cast<double>(m + 1), 1.0);
  r.metrics[Metric::accuracy] = std::nan("");
  r.metrics.events = 1ull << 60;
  const RunRecord back = parse_record(record_json(r));
  EXPECT_TRUE(back.same_result(r));
  EXPECT_TRUE(std::isnan(back.metrics[Metric::accuracy]));
  EXPECT_THROW(parse_record("{\"point\": 1}"), std::invalid_argument);
}

TEST_F(JournalTest, RecoversTheRunsAppendedBeforeItWasClosed) {
  {
    Journal journal(path_, header_);
    EXPECT_TRUE(journal.recovered().empty());
    journal.append(record(0, 0));
    journal.append(record(1, 0));
  }
  Journal again(path_, header_);
  ASSERT_EQ(again.recovered().size(), 2u);
  EXPECT_TRUE(again.recovered()[1].same_result(record(1, 0)));
}

TEST_F(JournalTest, DropsAndCutsOffATornLastLine) {
  {
    Journal journal(path_, header_);
    journal.append(record(0, 0));
  }
  const std::string whole = contents();
  {
    std::ofstream out(path_, std::ios::app);
    out << record_json(record(1, 0)).substr(0, 40);  // killed mid-write: no newline
  }
  {
    Journal journal(path_, header_);
    EXPECT_EQ(journal.recovered().size(), 1u);
    EXPECT_EQ(contents(), whole);  // the torn bytes are gone before anything is appended
    journal.append(record(2, 0));
  }
  Journal again(path_, header_);
  ASSERT_EQ(again.recovered().size(), 2u);
  EXPECT_EQ(again.recovered()[1].key.point, 2u);
}

TEST_F(JournalTest, RefusesTheJournalOfAnotherSweepOrShard) {
  { Journal journal(path_, header_); }
  try {
    Journal other(path_, JournalHeader{"0123456789abcdef", "1/2"});
    FAIL() << "another shard's journal was accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("another sweep or shard"));
  }
}

TEST_F(JournalTest, RemembersTheProgramThatStartedItWithoutRefusingAnother) {
  { Journal journal(path_, JournalHeader{"0123456789abcdef", "0/1", "continuum 0.1.0 (abc)"}); }
  Journal again(path_, JournalHeader{"0123456789abcdef", "0/1", "continuum 0.2.0 (def)"});
  EXPECT_EQ(again.recovered_program(), "continuum 0.1.0 (abc)");
}

TEST_F(JournalTest, RefusesACorruptLineInTheMiddle) {
  {
    Journal journal(path_, header_);
    journal.append(record(0, 0));
  }
  {
    std::ofstream out(path_, std::ios::app);
    out << "garbage\n" << record_json(record(1, 0)) << "\n";
  }
  EXPECT_THROW((Journal{path_, header_}), std::runtime_error);
}

TEST_F(JournalTest, RefusesASecondWriterWhileTheFirstHoldsIt) {
  Journal first(path_, header_);
  try {
    Journal second(path_, header_);
    FAIL() << "two writers share a journal";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("locked"));
  }
}

TEST_F(JournalTest, KeepsOneRecordPerRun) {
  {
    Journal journal(path_, header_);
    journal.append(record(0, 0));
    journal.append(record(0, 0));
  }
  EXPECT_EQ(Journal(path_, header_).recovered().size(), 1u);
}

TEST_F(JournalTest, RemoveDeletesTheFile) {
  Journal journal(path_, header_);
  journal.remove();
  EXPECT_FALSE(std::filesystem::exists(path_));
  EXPECT_EQ(journal_path("a/b.h5"), std::filesystem::path("a/b.h5.journal"));
}

}  // namespace
}  // namespace continuum::sweep
