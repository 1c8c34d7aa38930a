"""Kata 03 · Wait until every bun is eaten · 等到每个包子都被吃完

THE STORY
The cooks have grown proud: a cook no longer goes home the moment the last
bun leaves the kitchen, but waits until every bun on the counter has been
eaten. The counter is now a JoinableQueue. `counter.join()` waits until
every bun put on the counter has been marked done, and a bun is marked done
by one call to `counter.task_done()`. The diners eat every bun, but they
never say so: the cooks wait in `counter.join()`... forever.

THE GOAL
Every bun is eaten exactly once; each cook's `counter.join()` returns once
every bun is eaten, and not a moment before; then everyone goes home and
the program ends by itself.

WHAT IS BROKEN
Run `pytest` and you will see a HANG: the cooks are blocked in
`counter.join()`, although every bun was eaten, and the diners wait in
`counter.get()` for the None that main will put only after the cooks are
done.

THE CONTRACT (the tests call these; keep the names and parameters)
    open_shop(shop)        main: starts the cooks and the diners, joins the
                           cooks, puts one None per diner, joins the diners
    cook(counter, shop)    puts every bun of shop.buns() on the counter, then
                           waits in counter.join() until they are all eaten
    diner(counter, shop)   takes buns off the counter, calls shop.eat(bun),
                           and marks each bun done, until it gets None
A bun can be any value, even 0 or "". Only the cooks make buns.

RUN JUST THIS KATA
    pytest --kata 03                    every test, under every start method
    python katas/03_joinable_queue.py   one run, and its report

------------------------------------------------------------------------
故事
厨师们有了骄傲：最后一个包子出了厨房，厨师并不马上回家，而是要等柜台上的每个包子都被吃掉。
现在柜台是一个 JoinableQueue。`counter.join()` 会一直等，直到放上柜台的每个包子都被标记为
“完成”；调用一次 `counter.task_done()`，就把一个包子标记为完成。食客把每个包子都吃了，
却从来不说一声：厨师们就在 `counter.join()` 里……永远等下去。

目标
每个包子都被吃掉，而且只吃一次；每位厨师的 `counter.join()` 在所有包子都吃完时返回，
一刻也不能提前；然后所有人回家：程序自己结束。

哪里坏了
运行 `pytest`，你会看到 HANG：虽然每个包子都吃完了，厨师们还是卡在 `counter.join()`；
食客们在 `counter.get()` 里等 None，而 main 要等厨师们结束以后才会放 None。

约定（测试会调用这些函数；名字和参数不要改）
    open_shop(shop)        main：启动厨师和食客，join 厨师，为每位食客放一个 None，再 join 食客
    cook(counter, shop)    把 shop.buns() 的每个包子放到柜台上，然后在 counter.join() 里等它们都被吃完
    diner(counter, shop)   从柜台上拿包子，调用 shop.eat(bun)，并把每个包子标记为完成，直到拿到 None
包子可以是任何值，甚至是 0 或 ""。只有厨师做包子。

只运行这个练习
    pytest --kata 03                    全部测试，每一种启动方式
    python katas/03_joinable_queue.py   运行一次，看它的报告
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()  # wait here until every bun on the counter is marked done


def diner(counter, shop):
    while (bun := counter.get()) is not None:
        shop.eat(bun)
        # TODO: tell the counter that this bun is done. (告诉柜台：这个包子吃完了。)


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    for _ in diners:
        counter.put(None)
    for a_diner in diners:
        a_diner.join()


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
