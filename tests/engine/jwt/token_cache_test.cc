#include "engine/jwt/token_cache.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace gwsim::jwt {
namespace {

TEST(TokenCache, FindsWhatWasInserted) {
  TokenCache<int> cache(2);
  EXPECT_EQ(cache.find("a"), nullptr);
  cache.insert("a", std::make_shared<const int>(1));
  ASSERT_NE(cache.find("a"), nullptr);
  EXPECT_EQ(*cache.find("a"), 1);
}

TEST(TokenCache, EvictsTheLeastRecentlyUsedBeyondCapacity) {
  TokenCache<int> cache(2);
  cache.insert("a", std::make_shared<const int>(1));
  cache.insert("b", std::make_shared<const int>(2));
  EXPECT_NE(cache.find("a"), nullptr);  // a is now the most recent
  cache.insert("c", std::make_shared<const int>(3));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_NE(cache.find("a"), nullptr);
  EXPECT_EQ(cache.find("b"), nullptr);
  EXPECT_NE(cache.find("c"), nullptr);
}

TEST(TokenCache, IsSafeAcrossThreads) {
  TokenCache<int> cache(16);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 1000; ++i) {
        const std::string key = std::to_string((i + t) % 32);
        if (!cache.find(key)) cache.insert(key, std::make_shared<const int>(i));
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.size(), 16u);
}

}  // namespace
}  // namespace gwsim::jwt
