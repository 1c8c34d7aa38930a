"""Kata 07 · The bad bun · 坏包子

THE STORY
The shop of kata 03 again: the cooks wait in `counter.join()` until every
bun they put on the counter is marked done, and each diner marks a bun done
with `counter.task_done()`. But today the kitchen sends out a bad bun now
and then. A diner who bites into one chokes: `shop.eat(bun)` raises
`BadBun`. The error flies out of the loop, past `counter.task_done()`, and
the diner falls down dead. Nobody will ever mark that bun done, so the
cooks wait in `counter.join()`... forever. And nobody tells main what
happened.

THE GOAL
A bad bun spoils one bite, not the shop: the diner marks every bun done,
bad or good; it sends the error home, on the `errors` queue, to main, which
hands each error to `shop.handle_error(error)`; and the diner goes on to
the next bun. Every bun is eaten or choked on exactly once, and the program
ends by itself.

WHAT IS BROKEN
Run `pytest` and you will see a HANG: the cooks are blocked in
`counter.join()`, and the report shows the diner that died of a bad bun.

THE CONTRACT (the tests call these; keep the names and parameters)
    open_shop(shop)               main: starts the cooks and the diners,
                                  joins the cooks, puts one None per diner,
                                  reads the errors (each diner ends its own
                                  with one None) and hands each one to
                                  shop.handle_error(error), joins the diners
    cook(counter, shop)           puts every bun of shop.buns() on the
                                  counter, then waits in counter.join()
    diner(counter, errors, shop)  takes buns off the counter and calls
                                  shop.eat(bun) for each, until it gets
                                  None; marks each done; sends the error of
                                  a bad bun home on `errors`
A bun can be any value, even 0 or "". Only the cooks make buns.

RUN JUST THIS KATA
    pytest --kata 07

------------------------------------------------------------------------
故事
又是第 03 题的那家店：厨师在 `counter.join()` 里等，直到他们放上柜台的每个包子都被标记为完成；
食客用 `counter.task_done()` 把一个包子标记为完成。可今天厨房时不时会送出一个坏包子。
食客咬到坏包子就会噎住：`shop.eat(bun)` 抛出 `BadBun`。这个错误飞出循环，跳过了
`counter.task_done()`，食客就倒下死掉了。再也没有人会把这个包子标记为完成，于是厨师们在
`counter.join()` 里……永远等下去。也没有人告诉 main 发生了什么。

目标
一个坏包子只坏一口，不坏整家店：食客把每个包子都标记为完成，不管是好是坏；它把错误通过 `errors`
队列送回家，交给 main，main 再把每个错误交给 `shop.handle_error(error)`；然后食客接着吃下一个包子。
每个包子都恰好被吃掉一次（或被噎住一次），程序自己结束。

哪里坏了
运行 `pytest`，你会看到 HANG：厨师们卡在 `counter.join()`，报告里还能看到那位被坏包子噎死的食客。

约定（测试会调用这些函数；名字和参数不要改）
    open_shop(shop)               main：启动厨师和食客，join 厨师，为每位食客放一个 None，
                                  读取错误（每位食客最后会放一个 None 表示自己说完了），
                                  把每个错误交给 shop.handle_error(error)，再 join 食客
    cook(counter, shop)           把 shop.buns() 的每个包子放到柜台上，然后在 counter.join() 里等
    diner(counter, errors, shop)  从柜台上拿包子，每个都调用 shop.eat(bun)，直到拿到 None；
                                  把每个包子标记为完成；把坏包子的错误通过 `errors` 送回家
包子可以是任何值，甚至是 0 或 ""。只有厨师做包子。

只运行这个练习
    pytest --kata 07
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()  # wait here until every bun on the counter is marked done


def diner(counter, errors, shop):
    while (bun := counter.get()) is not DONE:
        # TODO: shop.eat(bun) raises BadBun for a bad bun. Mark the bun done whatever happens, send the error
        # home on `errors`, and go on to the next bun. (坏包子会让 shop.eat(bun) 抛出 BadBun。无论如何都要把
        # 这个包子标记为完成，把错误通过 errors 送回家，然后接着吃下一个。)
        shop.eat(bun)
        counter.task_done()
    counter.task_done()  # the None was a get() too
    errors.put(DONE)  # this diner has nothing more to say


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    errors = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, errors, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    for _ in diners:
        counter.put(DONE)
    for _ in diners:  # each diner ends its errors with one DONE
        while (error := errors.get()) is not DONE:
            shop.handle_error(error)
    for a_diner in diners:
        a_diner.join()


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
