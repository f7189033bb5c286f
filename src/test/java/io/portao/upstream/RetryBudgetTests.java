package io.portao.upstream;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTests {

	@Test
	void allowsRatioOfRequestsPlusTheMinimumOverTheWindow() {
		RetryBudget budget = new RetryBudget(new RetryBudgetProperties(0.2, 1, Duration.ofSeconds(10)));
		long now = 1_000_000;
		for (int i = 0; i < 100; i++) {
			budget.deposit(now);
		}
		assertThat(withdrawals(budget, now, 100)).as("20 % of 100 + 1/s × 10 s").isEqualTo(30);
	}

	@Test
	void requestsAndRetriesLeaveTheWindow() {
		RetryBudget budget = new RetryBudget(new RetryBudgetProperties(0.5, 0, Duration.ofSeconds(2)));
		long now = 1_000_000;
		for (int i = 0; i < 10; i++) {
			budget.deposit(now);
		}
		assertThat(withdrawals(budget, now, 100)).isEqualTo(5);
		assertThat(withdrawals(budget, now + 1_000, 100)).as("same window").isZero();
		assertThat(withdrawals(budget, now + 2_000, 100)).as("requests left the window").isZero();
		for (int i = 0; i < 4; i++) {
			budget.deposit(now + 2_000);
		}
		assertThat(withdrawals(budget, now + 2_500, 100)).isEqualTo(2);
	}

	@Test
	void zeroRatioLeavesOnlyTheMinimum() {
		RetryBudget budget = new RetryBudget(new RetryBudgetProperties(0, 2, Duration.ofSeconds(1)));
		budget.deposit(0);
		assertThat(withdrawals(budget, 0, 10)).isEqualTo(2);
	}

	private static int withdrawals(RetryBudget budget, long now, int max) {
		int n = 0;
		while (n < max && budget.tryWithdraw(now)) {
			n++;
		}
		return n;
	}

}
